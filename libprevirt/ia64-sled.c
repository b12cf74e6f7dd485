// SPDX-License-Identifier: MIT
/*
 * Checking an IA-64 sled against what the plugin writes (abi.h,
 * PREVIRT_IA64_SLED_BUNDLES): a record is only trusted when the bytes it
 * names have that shape, so that a stale or corrupt table can never make
 * the patcher overwrite live code.
 */
#include "previrt/ia64.h"

/* The immediate bits of break.x's X slot: imm20a (6-25) and i (36). */
#define BREAK_X_IMM_BITS ((UINT64_C(0xfffff) << 6) | (UINT64_C(1) << 36))

const char *pv_ia64_sled_verdict_name(enum pv_ia64_sled_verdict v)
{
	static const char *const names[] = {
		"ok", "not an IA-64 record", "not a sled's shape", "template",
		"unit", "nop where the instruction should be", "padding",
	};

	return (unsigned int)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

/*
 * Can a slot of this unit hold an instruction of this class? System
 * instructions are M-unit; rfi, bsw, epc and cover are B-unit (cover is
 * class cr); break, the hypercall, exists for every unit, long form
 * included, and vmsw is B-unit like it.
 */
static int unit_fits(unsigned int klass, char unit)
{
	switch (klass) {
	case PREVIRT_CLASS_KRET:
	case PREVIRT_CLASS_SWAPGS:
	case PREVIRT_CLASS_FAR_XFER:
		return unit == 'B';
	case PREVIRT_CLASS_CR:
		return unit == 'M' || unit == 'B';
	case PREVIRT_CLASS_VMX:
		return unit != 'X';
	default:
		return unit == 'M';
	}
}

/* The pad bundle: exactly { .mib nop.m 0; nop.i 0; nop.b 0 }, end stop or not. */
static int is_pad_bundle(const struct pv_ia64_bundle *b)
{
	return (b->tmpl & ~1u) == PV_IA64_T_MIB && b->slot[0] == PV_IA64_NOP_MIF &&
	       b->slot[1] == PV_IA64_NOP_MIF && b->slot[2] == PV_IA64_NOP_B;
}

enum pv_ia64_sled_verdict pv_ia64_check_sled(const struct previrt_site *s,
					     const unsigned char *sled, uint64_t sled_addr)
{
	struct pv_ia64_bundle b;
	char units[3];
	unsigned int i;

	if (s->arch != PREVIRT_ARCH_IA64)
		return PV_IA64_SLED_ARCH;
	if (sled_addr % PREVIRT_IA64_BUNDLE || s->insn_len != PREVIRT_IA64_BUNDLE || s->slot > 2 ||
	    (s->sled_len != PREVIRT_IA64_BUNDLE &&
	     s->sled_len != PREVIRT_IA64_SLED_BUNDLES * PREVIRT_IA64_BUNDLE))
		return PV_IA64_SLED_SHAPE;

	pv_ia64_bundle_decode(sled, &b);
	if (pv_ia64_template_units(b.tmpl, units) < 0)
		return PV_IA64_SLED_TEMPLATE;
	/* A long instruction sits in the L slot (1) and ends in X (2). */
	if (units[s->slot] == 'X')
		return PV_IA64_SLED_TEMPLATE;
	if (units[s->slot] == 'L') {
		/* Only break.x: opcode fields of its X slot all 0 but the immediate. */
		if (s->klass != PREVIRT_CLASS_VMX || s->slot != 1)
			return PV_IA64_SLED_UNIT;
		if (b.slot[2] & ~(BREAK_X_IMM_BITS | UINT64_C(0x3f)))
			return PV_IA64_SLED_TEMPLATE;
	} else {
		if (!unit_fits(s->klass, units[s->slot]))
			return PV_IA64_SLED_UNIT;
		if (pv_ia64_is_nop(b.slot[s->slot], units[s->slot]))
			return PV_IA64_SLED_NOP;
	}
	if (s->sled_len == PREVIRT_IA64_BUNDLE)
		return PV_IA64_SLED_OK;	/* the source's own bundle: its other slots are its own */

	/* The plugin's bundle: the other slots are plain nops, a stop ends it. */
	if (!(pv_ia64_template_stops(b.tmpl) & 4))
		return PV_IA64_SLED_PADDING;
	for (i = 0; i < 3; i++) {
		if (i == s->slot || (units[s->slot] == 'L' && i == 2))
			continue;
		if (b.slot[i] != (units[i] == 'B' ? PV_IA64_NOP_B : PV_IA64_NOP_MIF))
			return PV_IA64_SLED_PADDING;
	}
	pv_ia64_bundle_decode(sled + PREVIRT_IA64_BUNDLE, &b);
	return is_pad_bundle(&b) ? PV_IA64_SLED_OK : PV_IA64_SLED_PADDING;
}
