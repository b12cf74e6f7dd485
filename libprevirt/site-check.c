// SPDX-License-Identifier: MIT
/*
 * Validation of one record and of the sled it points to.
 *
 * Nothing is patched on trust.  A record is checked field by field
 * against what version 1 of the ABI allows, its sled must lie where text
 * may be, must not share a byte with another site's sled (overlap.c), and must hold
 * exactly what the record says: one instruction of the recorded class
 * and length, then NOPs up to the sled's end (or NOPs first, then the
 * instruction, or sti and the instruction: the shapes of abi.h).  A sled that was already
 * patched, a record from another build, or a table that is corrupt all
 * fail one of these, and the site is refused rather than half-patched.
 */
#include "internal.h"

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
	[PV_SITE_SHAPE] = "record's sled shape (pad-first, sti pair) does not fit its class",
};

const char *pv_site_fault_text(enum pv_site_fault f)
{
	return (unsigned int)f < PV_SITE_FAULT_COUNT ? fault_text[f] : "?";
}

static unsigned int arch_bits(unsigned int arch)
{
	return arch == PREVIRT_ARCH_X86_64 ? 64 : 32;
}

enum pv_site_fault pv_check_record(const struct previrt_site *s, const struct previrt_env *env)
{
	unsigned long at, budget;

	if (s->version != PREVIRT_ABI_VERSION)
		return PV_SITE_VERSION;
	/*
	 * A 64-bit runtime can read 32-bit sleds (compat code in a 64-bit
	 * kernel) but a 32-bit one cannot run 64-bit code; IA-64 is not x86.
	 */
	if (s->arch != PREVIRT_ARCH_X86_32 && s->arch != PREVIRT_ARCH_X86_64)
		return PV_SITE_ARCH;
	if (PV_NATIVE_BITS == 32 && s->arch == PREVIRT_ARCH_X86_64)
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
	/* the plugin pads to the budget, or leaves a long instruction alone */
	budget = PREVIRT_X86_SLED_BUDGET;
	if (s->insn_len == 0 || s->insn_len > 15 ||
	    s->sled_len != (s->insn_len > budget ? s->insn_len : budget))
		return PV_SITE_LENGTH;
	at = (unsigned long)previrt_site_sled(s);
	if (at + s->sled_len < at)
		return PV_SITE_RANGE;
	if (env && (env->text_lo || env->text_hi) &&
	    (at < env->text_lo || at + s->sled_len > env->text_hi))
		return PV_SITE_RANGE;
	return PV_SITE_OK;
}

/* Does the decoded instruction belong to the class the plugin recorded? */
static int class_matches(const struct previrt_site *s, const struct pv_x86_insn *in)
{
	/*
	 * A device accessor's memory move is MMIO by where it is, not by
	 * what it is: the decoder calls it class 0, the record says MMIO.
	 */
	if (s->klass == PREVIRT_CLASS_MMIO)
		return (in->op == PV_OP_MOV_LOAD || in->op == PV_OP_MOV_STORE) &&
			(s->flags & PREVIRT_F_DEVICE);
	return in->klass == s->klass;
}

enum pv_site_fault pv_check_sled(const struct previrt_site *s, struct pv_x86_insn *insn,
				 int *dec_err)
{
	const unsigned char *sled = previrt_site_sled(s);
	const unsigned char *p = sled + previrt_site_insn_offset(s);
	unsigned int bits = arch_bits(s->arch), want = previrt_site_insn_bytes(s);
	int len;

	*dec_err = 0;
	/* a pair starts with a plain sti: no prefix, nothing else */
	if ((s->flags & PREVIRT_F_STI_PAIR) && sled[0] != 0xfb)
		return PV_SITE_INSN_CLASS;
	/* decode within insn_len: a longer instruction is truncated, not read past */
	len = pv_x86_decode(p, want, (int)bits, insn);
	if (len == PV_DEC_TRUNCATED) {
		/* see whether it is longer than recorded or just garbage */
		len = pv_x86_decode(p, (unsigned int)(sled + s->sled_len - p), (int)bits, insn);
		if (len > 0)
			return PV_SITE_INSN_LEN;
	}
	if (len < 0) {
		*dec_err = len;
		return PV_SITE_DECODE;
	}
	if ((unsigned int)len != want)
		return PV_SITE_INSN_LEN;
	if (!class_matches(s, insn))
		return PV_SITE_INSN_CLASS;
	if (!pv_x86_is_padding(sled + previrt_site_pad_offset(s), s->sled_len - s->insn_len,
			       (int)bits))
		return PV_SITE_PADDING;
	return PV_SITE_OK;
}

void pv_report_site(const struct previrt_env *env, const struct previrt_site *s,
		    unsigned long index, const char *verb, const char *why)
{
	char bytes[3 * 16 + 1];
	unsigned int i, n = s->sled_len, pos = 0;
	const unsigned char *p = previrt_site_sled(s);

	/*
	 * Show the sled's bytes only where reading them is safe: inside the
	 * text bounds when there are some, else only for a record that is
	 * sane in itself (a corrupt record may point anywhere).
	 */
	int bounded = env && (env->text_lo || env->text_hi);
	unsigned long at = (unsigned long)p;

	if (n > 16)
		n = 16;
	if (bounded ? !(at >= env->text_lo && at + n >= at && at + n <= env->text_hi)
		    : pv_check_record(s, env) != PV_SITE_OK)
		n = 0;
	for (i = 0; i < n; i++)
		pos += pv_format(bytes + pos, sizeof(bytes) - pos, i ? " %02x" : "%02x", p[i]);
	if (!n)
		pv_format(bytes, sizeof(bytes), "not read");
	pv_log(env, "previrt: site #%lu at %p (class %s, sled %u insn %u, bytes %s): %s: %s\n",
	       index, (void *)p, previrt_class_name(s->klass), s->sled_len, s->insn_len,
	       bytes, verb, why);
}
