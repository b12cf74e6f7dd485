/* SPDX-License-Identifier: MIT */
/*
 * The site table the previrt plugin left in this very image: well-formed
 * records, and the MMIO accessor tagged as a device site. Only meaningful
 * when the guest was compiled with the plugin (GUEST_WITH_PLUGIN); a plain
 * build says so and checks nothing here.
 */
#include <previrt/abi.h>
#include "io.h"
#include "tap.h"
#include "tests.h"

#define ACCESSOR_SPAN	64	/* readl is a load and a return, plus its sled */

void test_sites(void)
{
	tap_case("sites");
#ifndef GUEST_WITH_PLUGIN
	tap_note("built without the previrt plugin: no site table to check");
#else
	const struct previrt_site *s, *begin = __start_previrt_sites, *end = __stop_previrt_sites;
	unsigned n = (unsigned)(end - begin), bad = 0;
	int readl_is_device = 0;
	const unsigned char *readl_at = (const unsigned char *)(uintptr_t)readl;

	tap_check(begin && n > 0, "site table holds %u records", n);
	for (s = begin; s < end; s++) {
		const unsigned char *sled = previrt_site_sled(s);

		if (s->version != PREVIRT_ABI_VERSION || s->arch != PREVIRT_ARCH_X86_64 ||
		    s->klass == PREVIRT_CLASS_INVALID || s->klass >= PREVIRT_CLASS_COUNT ||
		    s->insn_len == 0 || s->sled_len < s->insn_len ||
		    s->sled_len < PREVIRT_X86_SLED_BUDGET || (s->flags & ~PREVIRT_F_KNOWN)) {
			bad++;
			continue;
		}
		if (sled >= readl_at && sled < readl_at + ACCESSOR_SPAN &&
		    (s->flags & PREVIRT_F_DEVICE))
			readl_is_device = 1;
	}
	tap_eq(bad, 0, "every record is version 1, x86-64, a known class, a full sled");
	tap_check(readl_is_device, "readl's access is recorded as a device site");
#endif
}
