// SPDX-License-Identifier: MIT
/*
 * What makes an x86 site valid: the one definition that the runtime and
 * previrt-audit share (site-valid.h).
 *
 * A record is checked field by field against what version 1 of the ABI
 * allows, and its sled must hold exactly what the record says: one
 * instruction of the recorded class and length, then NOPs up to the
 * sled's end (or the NOPs first, or sti before the instruction: the
 * shapes of abi.h that keep an interrupt shadow), with nothing before it
 * that the processor would read as a part of that instruction.  A sled that was already patched, a record
 * from another build, a table that is corrupt, or an instruction whose
 * prefix was written apart from it all fail one of these.
 */
#include "site-valid.h"

static const char *const fault_text[PV_SITE_FAULT_COUNT] = {
	[PV_SITE_OK] = "ok",
	[PV_SITE_VERSION] = "record version is not 1",
	[PV_SITE_ARCH] = "record arch is not patchable by this runtime",
	[PV_SITE_CLASS] = "record class is unknown",
	[PV_SITE_FLAGS] = "record has unknown flags",
	[PV_SITE_RESERVED] = "record slot/reserved bytes are not zero",
	[PV_SITE_LENGTH] = "sled/instruction lengths break the sled budget",
	[PV_SITE_RANGE] = "sled lies outside the text",
	[PV_SITE_OVERLAP] = "sled overlaps another site's sled",
	[PV_SITE_DECODE] = "sled does not start with a decodable instruction",
	[PV_SITE_INSN_LEN] = "instruction length differs from the record",
	[PV_SITE_INSN_CLASS] = "instruction is not of the recorded class",
	[PV_SITE_PADDING] = "padding after the instruction is not NOPs",
	[PV_SITE_PREFIX_APART] = "the byte before the sled may be a prefix of its instruction",
	[PV_SITE_SHAPE] = "record's sled shape (pad-first, sti pair) does not fit its class",
};

const char *pv_site_fault_text(enum pv_site_fault f)
{
	return (unsigned int)f < PV_SITE_FAULT_COUNT ? fault_text[f] : "?";
}

static int arch_bits(unsigned int arch)
{
	return arch == PREVIRT_ARCH_X86_64 ? 64 : 32;
}

enum pv_site_fault pv_site_check_fields(const struct previrt_site *s, unsigned int code_arch)
{
	unsigned int budget = PREVIRT_X86_SLED_BUDGET;

	if (s->version != PREVIRT_ABI_VERSION)
		return PV_SITE_VERSION;
	/*
	 * 64-bit code can hold 32-bit sleds (.code32 regions, compat code
	 * in a 64-bit kernel) but 32-bit code cannot hold 64-bit ones;
	 * IA-64 is not x86.
	 */
	if (s->arch != PREVIRT_ARCH_X86_32 && s->arch != PREVIRT_ARCH_X86_64)
		return PV_SITE_ARCH;
	if (code_arch != PREVIRT_ARCH_X86_64 && s->arch == PREVIRT_ARCH_X86_64)
		return PV_SITE_ARCH;
	if (s->klass == PREVIRT_CLASS_INVALID || s->klass >= PREVIRT_CLASS_COUNT)
		return PV_SITE_CLASS;
	if (s->flags & ~PREVIRT_F_KNOWN)
		return PV_SITE_FLAGS;
	if (s->slot || s->reserved)
		return PV_SITE_RESERVED;
	/* the two shapes exclude each other, and each belongs to its classes */
	if ((s->flags & PREVIRT_F_PAD_FIRST) &&
	    ((s->flags & PREVIRT_F_STI_PAIR) ||
	     (s->klass != PREVIRT_CLASS_STI && s->klass != PREVIRT_CLASS_POPF &&
	      s->klass != PREVIRT_CLASS_SEG_WRITE)))
		return PV_SITE_SHAPE;
	if ((s->flags & PREVIRT_F_STI_PAIR) &&
	    ((s->klass != PREVIRT_CLASS_HLT && s->klass != PREVIRT_CLASS_MWAIT) || s->insn_len < 2))
		return PV_SITE_SHAPE;
	/*
	 * The plugin pads to the budget, or leaves a long instruction alone:
	 * a shorter sled has no room for the call or the inline sequence a
	 * backend writes, a longer one is not what the plugin makes.
	 */
	if (s->insn_len == 0 || s->insn_len > 15 ||
	    s->sled_len != (s->insn_len > budget ? s->insn_len : budget))
		return PV_SITE_LENGTH;
	return PV_SITE_OK;
}

/* Does the decoded instruction belong to the class the plugin recorded? */
static int class_matches(const struct previrt_site *s, const struct pv_x86_insn *in)
{
	/*
	 * A device accessor's memory move is MMIO by where it is, not by
	 * what it is: the decoder calls it class 0, the record says MMIO,
	 * and only a record flagged DEVICE may say so.
	 */
	if (s->klass == PREVIRT_CLASS_MMIO)
		return (in->op == PV_OP_MOV_LOAD || in->op == PV_OP_MOV_STORE) &&
			(s->flags & PREVIRT_F_DEVICE);
	return in->klass == s->klass;
}

/*
 * Could byte b, just before the sled, be a prefix that the processor
 * reads as part of the sled's instruction?
 *
 * The sled must start where the instruction starts: `.byte 0xf3` written
 * before `insb` makes the processor run `rep insb`, and a runtime that
 * dispatched only the `insb` it sees (or put a call after a 66 prefix)
 * would change what the code does.  The runtime sees nothing but the
 * record and the bytes, and an x86 instruction stream cannot be decoded
 * backwards, so it cannot tell a stray prefix from the last byte of the
 * instruction before (an imm8 0x66, a disp8 0x48, a ModRM 0xf0 as in
 * `mov %esi,%eax`).  The rule therefore refuses every sled whose previous
 * byte has a prefix's value: the legacy prefixes in both modes, and REX
 * (0x40-0x4f) in 64-bit code, where those bytes are not inc/dec.
 *
 * Its cost is false refusals: a well-formed sled right after an
 * instruction that happens to end in one of those 27 (64-bit) or 11
 * (32-bit) values is refused and left as it is.  That is common in real
 * code (`mov %esi,%edx`, 89 f2, sets up the port of an `out`: 10 of 273
 * 64-bit sites of the plugin's fixtures), and on a hypervisor backend a
 * refused site stops the boot.  So a record may say
 * that its writer saw what precedes the sled (PREVIRT_F_BOUNDARY, set by
 * the plugin when the statement before the instruction was an instruction
 * or compiler code, never after a directive that may have written bytes):
 * such a record is taken at its word, and the byte rule is for the others
 * (hand-written sleds, objects from an older plugin).  previrt-audit
 * applies the same rule to the same bytes, so each refusal is named at
 * build time too.
 */
static int may_be_prefix(int b, int bits)
{
	switch (b) {
	case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
	case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
		return 1;
	default:
		return bits == 64 && b >= 0x40 && b <= 0x4f;
	}
}

enum pv_site_fault pv_site_check_bytes(const struct previrt_site *s, const uint8_t *sled,
				       int before, struct pv_x86_insn *insn, int *dec_err)
{
	const uint8_t *p = sled + previrt_site_insn_offset(s);
	int bits = arch_bits(s->arch), want = (int)previrt_site_insn_bytes(s);
	int len;

	*dec_err = 0;
	/* a pair starts with a plain sti: no prefix, nothing else */
	if ((s->flags & PREVIRT_F_STI_PAIR) && sled[0] != 0xfb)
		return PV_SITE_INSN_CLASS;
	/* decode within insn_len: a longer instruction is truncated, not read past */
	len = pv_x86_decode(p, (size_t)want, bits, insn);
	if (len == PV_DEC_TRUNCATED) {
		/* see whether it is longer than recorded or just garbage */
		len = pv_x86_decode(p, (size_t)(sled + s->sled_len - p), bits, insn);
		if (len > 0)
			return PV_SITE_INSN_LEN;
	}
	if (len < 0) {
		*dec_err = len;
		return PV_SITE_DECODE;
	}
	if (len != want)
		return PV_SITE_INSN_LEN;
	if (!class_matches(s, insn))
		return PV_SITE_INSN_CLASS;
	if (!pv_x86_is_padding(sled + previrt_site_pad_offset(s), s->sled_len - s->insn_len, bits))
		return PV_SITE_PADDING;
	if (!(s->flags & PREVIRT_F_BOUNDARY) && before != PV_SITE_NO_BYTE &&
	    may_be_prefix(before, bits))
		return PV_SITE_PREFIX_APART;
	return PV_SITE_OK;
}
