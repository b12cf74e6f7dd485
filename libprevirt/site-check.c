// SPDX-License-Identifier: MIT
/*
 * Validation of one record and of the sled it points to, in memory.
 *
 * Nothing is patched on trust.  What a valid record and sled are is
 * defined once, in site-valid.c, which previrt-audit shares; this file
 * adds what only the running kernel can tell: that the sled lies in its
 * text, and where its bytes (and the byte before them) are.  Overlaps
 * between sleds are overlap.c's.  A site that fails is refused rather
 * than half-patched.
 */
#include "internal.h"

enum pv_site_fault pv_check_record(const struct previrt_site *s, const struct previrt_env *env)
{
	enum pv_site_fault f = pv_site_check_fields(s, PV_NATIVE_ARCH);
	unsigned long at;

	if (f)
		return f;
	at = (unsigned long)previrt_site_sled(s);
	if (at + s->sled_len < at)
		return PV_SITE_RANGE;
	if (env && (env->text_lo || env->text_hi) &&
	    (at < env->text_lo || at + s->sled_len > env->text_hi))
		return PV_SITE_RANGE;
	return PV_SITE_OK;
}

enum pv_site_fault pv_check_sled(const struct previrt_site *s, const struct pv_overlap *ov,
				 const struct previrt_env *env, struct pv_x86_insn *insn,
				 int *dec_err)
{
	const unsigned char *p = previrt_site_sled(s);
	unsigned long at = (unsigned long)p;
	int before = PV_SITE_NO_BYTE;

	/*
	 * The byte before the sled is read where it is text: a sled at
	 * text_lo has nothing before it that could run with it.  Without
	 * bounds the record is trusted as far as its sled, and the byte
	 * before is read as well.  A byte of another valid record's sled is
	 * that sled's end, and may already be rewritten: not read.
	 */
	if ((!(env && (env->text_lo || env->text_hi)) || at > env->text_lo) &&
	    !(ov && pv_overlap_follows(ov, s)))
		before = p[-1];
	return pv_site_check_bytes(s, p, before, insn, dec_err);
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
