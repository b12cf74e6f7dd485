// SPDX-License-Identifier: MIT
/*
 * The padding of a sled: recognising what gas left there and writing the
 * best NOPs back.
 *
 * gas's ".nops N" does not emit the same bytes in every mode.  For 64-bit
 * code it uses the 0f 1f "nopl/nopw" forms with 66 and 2e prefixes.  For
 * 32-bit code assembled without -march=i686 it uses lea idioms such as
 * "lea 0(%esi,%eiz,1),%esi" (8d b4 26 00 00 00 00), because 0f 1f does not
 * exist before the P6.  Those lea forms are NOT no-ops in 64-bit code (a
 * 32-bit destination zero-extends), so they are accepted for 32-bit sleds
 * only.  Everything accepted here is a whole instruction that changes no
 * register, flag or memory.
 */
#include <previrt/x86-insn.h>

/*
 * Length of one i386 "do nothing" idiom at p, or 0: mov %esi,%esi and
 * lea 0(%reg[,%eiz,1]),%reg with the same register on both sides and a
 * zero displacement.
 */
static size_t i386_idiom(const uint8_t *p, size_t n)
{
	uint8_t m, reg, rm, mod;
	size_t len, i;

	if (n >= 2 && (p[0] == 0x89 || p[0] == 0x8b) && (p[1] >> 6) == 3 &&
	    ((p[1] >> 3) & 7) == (p[1] & 7))
		return 2;
	if (n < 3 || p[0] != 0x8d)
		return 0;
	m = p[1];
	mod = m >> 6;
	reg = (m >> 3) & 7;
	rm = m & 7;
	if (mod == 0 || mod == 3)
		return 0;
	len = 2;
	if (rm == 4) {
		/* SIB with no index (100b) and the same base; scale 1 */
		if ((p[2] & 0xf8) != 0x20 || (p[2] & 7) != reg)
			return 0;
		len = 3;
	} else if (rm != reg) {
		return 0;
	}
	len += mod == 1 ? 1 : 4;
	if (len > n)
		return 0;
	for (i = len - (mod == 1 ? 1 : 4); i < len; i++)
		if (p[i])
			return 0;
	return len;
}

/* Length of one NOP instruction at p (at most n bytes), or 0. */
static size_t one_nop(const uint8_t *p, size_t n, int bits)
{
	struct pv_x86_insn in;
	int len;

	if (bits == 32) {
		size_t l = i386_idiom(p, n);
		if (l)
			return l;
	}
	len = pv_x86_decode(p, n, bits, &in);
	if (len <= 0 || in.op != PV_OP_NOP)
		return 0;
	/* a nop may carry 66 and segment prefixes, never lock/rep/REX.W games */
	if (in.prefixes & ~PV_PFX_OPSIZE)
		return 0;
	return (size_t)len;
}

int pv_x86_is_padding(const uint8_t *p, size_t n, int bits)
{
	while (n) {
		size_t l = one_nop(p, n, bits);
		if (!l)
			return 0;
		p += l;
		n -= l;
	}
	return 1;
}

/*
 * The canonical NOPs by length, as processors since the P6 recommend them:
 * the 0f 1f /0 forms, widened with a 66 prefix (and for 10 and 11 bytes a
 * cs override and a second 66) so that one instruction covers up to 11
 * bytes; longer runs are split into 11-byte pieces.
 */
static const uint8_t nop_forms[12][11] = {
	[1] = { 0x90 },
	[2] = { 0x66, 0x90 },
	[3] = { 0x0f, 0x1f, 0x00 },
	[4] = { 0x0f, 0x1f, 0x40, 0x00 },
	[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[6] = { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	[7] = { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	[8] = { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	[9] = { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	[10] = { 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	[11] = { 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void pv_x86_fill_nops(uint8_t *p, size_t n)
{
	while (n) {
		size_t l = n > 11 ? 11 : n, i;

		for (i = 0; i < l; i++)
			p[i] = nop_forms[l][i];
		p += l;
		n -= l;
	}
}
