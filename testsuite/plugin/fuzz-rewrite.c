// SPDX-License-Identifier: MIT
/*
 * Fuzz target for the template rewriters of libpvasm (pv_rewrite for x86,
 * pv_ia64_rewrite): what the plugin does to every asm statement.
 *
 * An input is one option byte and then templates separated by NUL bytes,
 * rewritten in order with one unit, as the statements of one translation
 * unit are (macros defined by one are known to the next).  Option byte:
 *   bits 0-1  template kind (basic, extended, top level; 3: extended)
 *   bit 2     the template is a device accessor
 *   bit 3     32-bit code, else 64-bit
 *   bit 4     the IA-64 rewriter
 *   bit 5     leave cli and sti alone (-fplugin-arg-previrt-classes)
 *
 * Invariants, else abort():
 *   - the result is the template plus insertions: every byte of the
 *     template is in the result, in order, none changed or dropped;
 *   - a result with sites has a text, the per-class counts add up to the
 *     number of sites, and diagnostics are bounded and NUL-terminated;
 *   - with FUZZ_REWRITE_TWICE set in the environment: rewriting the result
 *     again finds no new site (the plugin's own sleds are not sites
 *     again, or a hand-annotated template would get two records).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "previrt/abi.h"
#include "asm-rewrite.h"
#include "ia64-rewrite.h"

#define MAX_TEMPLATE 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Is a obtained from b by deleting bytes (is b = a + insertions)? */
static int is_insertion_of(const char *a, const char *b)
{
	for (; *a; a++) {
		b = strchr(b, *a);
		if (!b)
			return 0;
		b++;
	}
	return 1;
}

typedef int rewrite_fn(struct pv_unit *, const char *, enum pv_template_kind, int,
		       struct pv_result *);

static void check_result(const char *tmpl, int n, const struct pv_result *res)
{
	unsigned int sum = 0, i;
	int d;

	if (n < 0 || (unsigned int)n != res->sites)
		abort();	/* -1 is out of memory, which a fuzzer does not cause */
	for (i = 0; i < PREVIRT_CLASS_COUNT; i++)
		sum += res->per_class[i];
	if (sum != res->sites || (res->sites && !res->text))
		abort();
	if (res->text && !is_insertion_of(tmpl, res->text))
		abort();
	if (res->ndiags < 0 || res->ndiags > PV_MAX_DIAGS)
		abort();
	for (d = 0; d < res->ndiags; d++)
		if (!memchr(res->diags[d].msg, 0, sizeof(res->diags[d].msg)) ||
		    res->diags[d].line < 1)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char tmpl[MAX_TEMPLATE + 1];
	struct pv_unit unit, again_unit;
	const char *bad;
	unsigned int opt;
	rewrite_fn *rewrite;
	int twice = getenv("FUZZ_REWRITE_TWICE") != NULL;
	size_t k = 1;

	if (size < 1)
		return 0;
	opt = data[0];
	rewrite = opt & 0x10 ? pv_ia64_rewrite : pv_rewrite;
	pv_unit_init(&unit, opt & 8 ? 32 : 64);
	if ((opt & 0x20) && pv_select_classes(&unit, "cli,sti", 0, &bad))
		abort();
	again_unit = unit;
	while (k < size) {
		enum pv_template_kind kind = (opt & 3) == 3 ? PV_TEMPLATE_EXTENDED :
					     (enum pv_template_kind)(opt & 3);
		struct pv_result res, again;
		size_t len = 0;
		int n;

		while (k + len < size && data[k + len] && len < MAX_TEMPLATE)
			len++;
		memcpy(tmpl, data + k, len);
		tmpl[len] = 0;
		k += len + 1;

		memset(&res, 0, sizeof(res));
		n = rewrite(&unit, tmpl, kind, !!(opt & 4), &res);
		check_result(tmpl, n, &res);
		if (twice && res.text) {
			struct pv_unit u = again_unit;

			memset(&again, 0, sizeof(again));
			n = rewrite(&u, res.text, kind, !!(opt & 4), &again);
			check_result(res.text, n, &again);
			if (again.sites)
				abort();
			pv_result_free(&again);
		}
		pv_result_free(&res);
	}
	return 0;
}
