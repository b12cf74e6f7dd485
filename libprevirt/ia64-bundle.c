// SPDX-License-Identifier: MIT
/*
 * IA-64 bundles: the 128-bit little-endian container of three 41-bit slots.
 *
 *	bits   0-4	template
 *	bits   5-45	slot 0
 *	bits  46-86	slot 1
 *	bits 87-127	slot 2
 *
 * Written from the bit layout above, as two 64-bit halves so that it needs
 * no 128-bit integer type.
 */
#include "previrt/ia64.h"

static uint64_t load_le64(const unsigned char *b)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | b[i];
	return v;
}

static void store_le64(unsigned char *b, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++, v >>= 8)
		b[i] = (unsigned char)v;
}

void pv_ia64_bundle_decode(const unsigned char b[PREVIRT_IA64_BUNDLE], struct pv_ia64_bundle *out)
{
	uint64_t lo = load_le64(b), hi = load_le64(b + 8);

	out->tmpl = (unsigned int)(lo & 0x1f);
	out->slot[0] = (lo >> 5) & PV_IA64_SLOT_MASK;
	out->slot[1] = ((lo >> 46) | (hi << 18)) & PV_IA64_SLOT_MASK;
	out->slot[2] = hi >> 23;
}

void pv_ia64_bundle_encode(const struct pv_ia64_bundle *in, unsigned char b[PREVIRT_IA64_BUNDLE])
{
	uint64_t s0 = in->slot[0] & PV_IA64_SLOT_MASK, s1 = in->slot[1] & PV_IA64_SLOT_MASK,
		 s2 = in->slot[2] & PV_IA64_SLOT_MASK;

	store_le64(b, (uint64_t)(in->tmpl & 0x1f) | s0 << 5 | s1 << 46);
	store_le64(b + 8, s1 >> 18 | s2 << 23);
}

/*
 * The 32 templates: units, and which slots a stop follows. Even numbers
 * have no stop at the end of the bundle, odd ones add it; 0x02/0x03 (MI;;I)
 * and 0x0a/0x0b (M;;MI) have a stop inside. Empty units: reserved.
 */
static const struct {
	char units[4];
	unsigned char stops;	/* without the end stop of the odd numbers */
} templates[16] = {
	{ "MII", 0 }, { "MII", 2 }, { "MLX", 0 }, { "", 0 },
	{ "MMI", 0 }, { "MMI", 1 }, { "MFI", 0 }, { "MMF", 0 },
	{ "MIB", 0 }, { "MBB", 0 }, { "", 0 }, { "BBB", 0 },
	{ "MMB", 0 }, { "", 0 }, { "MFB", 0 }, { "", 0 },
};

int pv_ia64_template_units(unsigned int tmpl, char units[3])
{
	const char *u = templates[(tmpl & 0x1f) >> 1].units;

	if (!u[0])
		return -1;
	units[0] = u[0];
	units[1] = u[1];
	units[2] = u[2];
	return 0;
}

unsigned int pv_ia64_template_stops(unsigned int tmpl)
{
	tmpl &= 0x1f;
	return templates[tmpl >> 1].stops | ((tmpl & 1) ? 4u : 0u);
}

/* The immediate of a nop: imm20a in bits 6-25, its 21st bit i in bit 36. */
#define NOP_IMM_BITS	((UINT64_C(0xfffff) << 6) | (UINT64_C(1) << 36))
#define QP_BITS		UINT64_C(0x3f)

int pv_ia64_is_nop(uint64_t slot, char unit)
{
	uint64_t opcode = slot & ~(NOP_IMM_BITS | QP_BITS);

	switch (unit) {
	case 'M':
	case 'I':
	case 'F':
		return opcode == PV_IA64_NOP_MIF;
	case 'B':
		return opcode == PV_IA64_NOP_B;
	default:
		return 0;
	}
}

uint64_t pv_ia64_nop(char unit, uint32_t imm21)
{
	uint64_t imm = (uint64_t)(imm21 & 0xfffff) << 6 | (uint64_t)((imm21 >> 20) & 1) << 36;

	return (unit == 'B' ? PV_IA64_NOP_B : PV_IA64_NOP_MIF) | imm;
}

/*
 * Long branch (format X4): the X slot holds op 0xd in bits 37-40, i (the
 * displacement's sign) in 36, the whether-hint in 33-34 (0: sptk), imm20b
 * in 13-32, the prefetch hint p in 12 (1: many), b1 in 6-8, qp in 0-5; the
 * L slot holds imm39 in bits 2-40. Target = bundle + ((i:imm39:imm20b) << 4).
 */
void pv_ia64_brl_call(unsigned int qp, unsigned int breg, int64_t disp,
		      uint64_t *l_slot, uint64_t *x_slot)
{
	uint64_t v = (uint64_t)disp >> 4;	/* 60 significant bits */

	*l_slot = ((v >> 20) & ((UINT64_C(1) << 39) - 1)) << 2;
	*x_slot = UINT64_C(0xd) << 37 | ((v >> 59) & 1) << 36 | (v & 0xfffff) << 13 |
		  UINT64_C(1) << 12 | (uint64_t)(breg & 7) << 6 | (qp & 0x3f);
}
