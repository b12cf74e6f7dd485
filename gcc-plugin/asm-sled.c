// SPDX-License-Identifier: MIT
/*
 * The sled text. Numeric local labels need no '%', so the same text is
 * correct in basic, extended and top-level asm, and every copy GCC makes of
 * a statement (inlining, unrolling, cloning) assembles to a sled and record
 * of its own:
 *
 *	8841:	start of the sled
 *	8842:	PAD_AFTER, STI_PAIR: end of the instruction(s), start of the
 *		padding; PAD_FIRST: end of the padding, start of the instruction
 *	8843:	end of the sled
 *
 * Padding after the instruction is chosen by an .if chain from its length
 * (known when gas reaches it) among the canonical long NOPs of abi.h.
 * Padding BEFORE an instruction cannot be chosen that way: its length is a
 * forward reference, which .if refuses. ".skip N, 0x90" takes one (gas
 * sizes it when it relaxes), so that padding is a run of one-byte NOPs. The
 * same run is the padding after the instruction for CPUs without the 0f 1f
 * NOPs (i486, i586, Geode, Quark), where a long NOP raises #UD.
 */
#include <stdio.h>
#include <string.h>

#include "previrt/abi.h"
#include "asm-sled.h"

/*
 * The canonical long NOPs (P6 and later), longest last; abi.h promises
 * exactly them. Spelled out rather than left to gas's .nops, which picks
 * "lea 0(%esi),%esi" forms for 32-bit code unless told the CPU has NOPL.
 */
static const char *const nop_bytes[8] = {
	"",
	"0x90",
	"0x66,0x90",
	"0x0f,0x1f,0x00",
	"0x0f,0x1f,0x40,0x00",
	"0x0f,0x1f,0x44,0x00,0x00",
	"0x66,0x0f,0x1f,0x44,0x00,0x00",
	"0x0f,0x1f,0x80,0x00,0x00,0x00,0x00",
};

/* ".if (len) == N / .byte ... / .elseif ..." choosing the padding for len. */
static void long_nops(char *buf, size_t n)
{
	size_t used = 0;
	int len;

	used += (size_t)snprintf(buf + used, n - used, "\t.if (8842b - 8841b) < %d\n",
				 PREVIRT_X86_SLED_BUDGET);
	for (len = PREVIRT_X86_SLED_BUDGET - 1; len >= 1; len--) {
		int pad = PREVIRT_X86_SLED_BUDGET - len;

		used += (size_t)snprintf(buf + used, n - used, "\t.%s (8842b - 8841b) == %d\n",
					 len == PREVIRT_X86_SLED_BUDGET - 1 ? "if" : "elseif", len);
		while (pad > 0) {
			int k = pad > 7 ? 7 : pad;

			used += (size_t)snprintf(buf + used, n - used, "\t.byte %s\n", nop_bytes[k]);
			pad -= k;
		}
	}
	snprintf(buf + used, n - used, "\t.else\n\t.error \"previrt: sled padding\"\n"
		 "\t.endif\n\t.endif\n");
}

/* ".skip" of 0x90 up to the budget for an instruction from label a to b. */
static void byte_nops(char *buf, size_t n, const char *a, const char *b)
{
	/* gas's "<" is -1 when true: no padding for a long instruction */
	snprintf(buf, n, "\t.skip -((%s - %s) < %d) * (%d - (%s - %s)), 0x90\n",
		 b, a, PREVIRT_X86_SLED_BUDGET, PREVIRT_X86_SLED_BUDGET, b, a);
}

int pv_sled_shape_flag(enum pv_sled_shape shape)
{
	return shape == PV_SLED_PAD_FIRST ? PREVIRT_F_PAD_FIRST :
	       shape == PV_SLED_STI_PAIR ? PREVIRT_F_STI_PAIR : 0;
}

void pv_sled_text(const struct pv_sled_spec *sp, char *lead, size_t nl, char *before,
		  size_t nb, char *after, size_t na)
{
	char pad[1536], rec[1024], sec[640], own[64], name[40];
	int first = sp->shape == PV_SLED_PAD_FIRST;

	snprintf(name, sizeof(name), ".Lprevirt_site_%u%s", sp->label,
		 sp->label_form == PV_LABEL_EXPANSION ? "_\\@" : "");

	/*
	 * The record's section goes where the code goes: linked to the
	 * function's section, and in its COMDAT group when it has one.
	 */
	if (sp->link_sym && sp->link_sym[0] && sp->link_group && sp->link_group[0])
		snprintf(sec, sizeof(sec), "\"aoG\", @progbits, %s, %s, comdat",
			 sp->link_sym, sp->link_group);
	else if (sp->link_sym && sp->link_sym[0])
		snprintf(sec, sizeof(sec), "\"ao\", @progbits, %s", sp->link_sym);
	else
		snprintf(sec, sizeof(sec), "\"ao\", @progbits, %s", name);
	/*
	 * Top-level asm is emitted once, so a label of its own can name the
	 * sled's section: every record is then ordered, as "ld -r" wants them
	 * all when it merges previrt_sites.
	 */
	if (sp->link_sym && sp->link_sym[0])
		own[0] = '\0';
	else if (sp->label_form == PV_LABEL_ONCE)
		snprintf(own, sizeof(own), "%s:\n", name);
	else
		snprintf(own, sizeof(own), "\t.set %s, .\n", name);
	snprintf(rec, sizeof(rec),
		 "\t.pushsection " PREVIRT_SECTION ", %s\n"
		 "\t.balign %d\n"
		 "\t.long 8841b - .\n"
		 "\t.byte %d, %d, %d, %d, 8843b - 8841b, %s, 0, 0\n"
		 "\t.popsection\n",
		 sec, PREVIRT_SITE_ALIGN, PREVIRT_ABI_VERSION, sp->arch, sp->klass,
		 sp->flags | pv_sled_shape_flag(sp->shape),
		 first ? "8843b - 8842b" : "8842b - 8841b");
	if (first) {
		byte_nops(pad, sizeof(pad), "8842f", "8843f");
		snprintf(lead, nl, "\n%s8841:\n%s", own, pad);
		snprintf(before, nb, "8842: ");
		snprintf(after, na, "\n8843:\n%s", rec);
		return;
	}
	snprintf(lead, nl, "%s", "");
	if (sp->nopl)
		long_nops(pad, sizeof(pad));
	else
		byte_nops(pad, sizeof(pad), "8841b", "8842b");
	snprintf(before, nb, own[0] ? "\n%s8841: " : "%s8841: ", own);
	snprintf(after, na, "\n8842:\n%s8843:\n%s", pad, rec);
}

static int pv_sled_label_at(const char *t)
{
	static const char *const labels[] = { "8841", "8842", "8843" };
	unsigned int i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		size_t n = strlen(labels[i]);
		char c = t[n];

		/* "8841:", "8841b", "8841f", and the name alone (a .set, an expression) */
		if (strncmp(t, labels[i], n) == 0 && !(c >= '0' && c <= '9') &&
		    !(c >= 'a' && c <= 'z' && c != 'b' && c != 'f') &&
		    !(c >= 'A' && c <= 'Z') && c != '_' && c != '$')
			return 1;
	}
	return 0;
}

int pv_sled_labels_spelled(const char *t)
{
	const char *p;

	for (p = t; *p; p++) {
		char c = p > t ? p[-1] : ' ';
		int in_word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') || c == '_' || c == '.' || c == '$';

		if (!in_word && pv_sled_label_at(p))
			return 1;
	}
	return 0;
}

int pv_sled_writes_records(const char *t)
{
	return strstr(t, PREVIRT_SECTION) != NULL;
}

const char *pv_sled_breaking_option(const char *opts, size_t *len)
{
	/* the option, and the value that leaves sleds alone ("" if none does) */
	static const struct { const char *name, *harmless; } breaking[] = {
		{ "-mlfence-after-load=", "no" },
		{ "-mbranches-within-32B-boundaries", "" },
		{ "-malign-branch-boundary=", "0" },
	};
	unsigned int i;

	for (i = 0; opts && i < sizeof(breaking) / sizeof(breaking[0]); i++) {
		const char *p = opts;
		size_t n = strlen(breaking[i].name);

		while ((p = strstr(p, breaking[i].name)) != NULL) {
			const char *v = p + n;
			size_t vlen = strcspn(v, "', ");
			size_t h = strlen(breaking[i].harmless);

			if (!(h && vlen == h && strncmp(v, breaking[i].harmless, h) == 0)) {
				*len = n + vlen;
				return p;
			}
			p = v;
		}
	}
	return NULL;
}
