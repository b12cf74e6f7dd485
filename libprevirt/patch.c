// SPDX-License-Identifier: MIT
/*
 * The patcher: walk a table of sites, validate every one, then fill the
 * valid ones the way the backend asks.
 *
 * Two passes, on purpose.  The first only reads: it checks every record
 * and sled and reports each refusal, so that the log names every bad site
 * before a single byte of text changes (if patching then goes wrong, the
 * last words on the console are still useful).  The second pass fills the
 * sites that passed.  Validation is a pure function of the record and the
 * site's own sled, and overlapping sleds are refused in both passes, so
 * the second pass sees exactly the sites the first one accepted: no memory
 * is needed to carry verdicts over, which matters in a kernel at boot.
 *
 * A sled is written in one go from a buffer that is complete before the
 * write, and read back after it: a site is either fully patched or left
 * byte for byte as it was.
 */
#include "internal.h"

#define PV_MAX_SLED	16	/* longest x86 instruction is 15 bytes; sled_len <= 15 */

static enum pv_site_fault validate(const struct pv_overlap *ov,
				   const struct previrt_site *s,
				   const struct previrt_env *env,
				   struct pv_x86_insn *insn, int *dec_err)
{
	enum pv_site_fault f;

	*dec_err = 0;
	f = pv_check_record(s, env);
	if (f)
		return f;
	if (pv_overlap_test(ov, s))
		return PV_SITE_OVERLAP;
	return pv_check_sled(s, ov, env, insn, dec_err);
}

static void count_refused(struct previrt_stats *st, const struct previrt_site *s)
{
	st->refused++;
	st->refused_by_class[s->klass < PREVIRT_CLASS_COUNT ? s->klass : 0]++;
}

static int poke(const struct previrt_env *env, void *dst, const void *src, unsigned long n)
{
	if (env && env->poke)
		return env->poke(dst, src, n, env->ctx);
	pv_copy(dst, src, n);
	return 0;
}

/* Write buf over the sled, and make sure it is there. */
static int write_sled(const struct previrt_env *env, const struct previrt_site *s,
		      const unsigned char *buf)
{
	unsigned char *at = previrt_site_sled(s);

	if (poke(env, at, buf, s->sled_len))
		return -1;
	return pv_same(at, buf, s->sled_len) ? 0 : -1;
}

static void fill_site(const struct previrt_site *s, unsigned long index,
		      const struct pv_x86_insn *insn, const struct previrt_backend *b,
		      const struct previrt_env *env, struct previrt_stats *st)
{
	unsigned char buf[PV_MAX_SLED];
	unsigned char *at = previrt_site_sled(s);
	unsigned int mode = b->fill[s->klass], slot;
	struct previrt_sled sled = { s, at, insn };
	char why[96];

	/* Only the native instruction can stay in code of the other width. */
	if (s->arch != PV_NATIVE_ARCH && mode != PREVIRT_FILL_KEEP) {
		pv_format(why, sizeof(why), "backend %s cannot patch %u-bit code in a %u-bit runtime",
			  b->name, insn->bits, PV_NATIVE_BITS);
		goto refuse;
	}
	switch (mode) {
	case PREVIRT_FILL_KEEP:
		if (b->canonical_nops) {
			pv_copy(buf, at, s->sled_len);
			pv_x86_fill_nops(buf + s->insn_len, s->sled_len - s->insn_len);
			if (!pv_same(buf, at, s->sled_len) && write_sled(env, s, buf)) {
				pv_format(why, sizeof(why), "could not write the text");
				goto refuse;
			}
		}
		st->kept++;
		st->kept_by_class[s->klass]++;
		if (env && env->verbose)
			pv_report_site(env, s, index, "kept", b->name);
		return;
	case PREVIRT_FILL_GENERIC:
		if (!b->handle) {
			pv_format(why, sizeof(why), "backend %s has no handler", b->name);
			goto refuse;
		}
		if (pv_dispatch_claim(s, insn, b, env, &slot)) {
			pv_format(why, sizeof(why), "all %u dispatcher slots are taken",
				  (unsigned int)PREVIRT_DISPATCH_SLOTS);
			goto refuse;
		}
		if (pv_emit_dispatch_call(buf, s->sled_len, at, slot, env)) {
			pv_dispatch_release(slot);
			pv_format(why, sizeof(why),
				  "dispatcher at %p is out of call range and no trampoline could be placed",
				  (void *)previrt_dispatch_entry);
			goto refuse;
		}
		if (write_sled(env, s, buf)) {
			pv_dispatch_release(slot);
			pv_format(why, sizeof(why), "could not write the text");
			goto refuse;
		}
		break;
	case PREVIRT_FILL_INLINE:
		if (!b->emit || b->emit(&sled, buf)) {
			pv_format(why, sizeof(why), "backend %s cannot emit it inline", b->name);
			goto refuse;
		}
		if (write_sled(env, s, buf)) {
			pv_format(why, sizeof(why), "could not write the text");
			goto refuse;
		}
		break;
	default:
		pv_format(why, sizeof(why), "backend %s cannot run class %s", b->name,
			  previrt_class_name(s->klass));
		goto refuse;
	}
	st->patched++;
	st->patched_by_class[s->klass]++;
	if (env && env->verbose)
		pv_report_site(env, s, index, "patched", b->name);
	return;
refuse:
	count_refused(st, s);
	pv_report_site(env, s, index, "refused", why);
}

void previrt_patch_range(const struct previrt_site *begin, const struct previrt_site *end,
			 const struct previrt_backend *b, const struct previrt_env *env,
			 struct previrt_stats *st)
{
	const struct previrt_site *s;
	struct pv_overlap ov;
	struct pv_x86_insn insn;
	enum pv_site_fault f;
	char why[96];
	int dec_err;

	if (!begin || !end || end <= begin)
		return;
	pv_overlap_init(&ov, begin, end, env);

	for (s = begin; s < end; s++) {
		st->sites++;
		f = validate(&ov, s, env, &insn, &dec_err);
		if (!f)
			continue;
		count_refused(st, s);
		if (f == PV_SITE_DECODE)
			pv_format(why, sizeof(why), "%s (%s)", pv_site_fault_text(f),
				  pv_x86_strerror(dec_err));
		else if (f == PV_SITE_INSN_CLASS)
			pv_format(why, sizeof(why), "%s (found %s)", pv_site_fault_text(f),
				  pv_x86_op_name(insn.op));
		else
			pv_format(why, sizeof(why), "%s", pv_site_fault_text(f));
		pv_report_site(env, s, (unsigned long)(s - begin), "refused", why);
	}

	for (s = begin; s < end; s++)
		if (validate(&ov, s, env, &insn, &dec_err) == PV_SITE_OK)
			fill_site(s, (unsigned long)(s - begin), &insn, b, env, st);
	pv_overlap_done(&ov, env);
}
