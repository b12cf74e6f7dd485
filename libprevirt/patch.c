// SPDX-License-Identifier: MIT
/*
 * The patcher: walk a table of sites, validate every one, then fill the
 * valid ones the way the backend asks.
 *
 * Two passes, on purpose.  The first only reads: it checks every record
 * and sled and reports each refusal, so that the log names every bad site
 * before a single byte of text changes (if patching then goes wrong, the
 * last words on the console are still useful).  The second pass fills the
 * sites that passed.  Validation is a pure function of the record, the
 * site's own sled and the byte before it (not read when it belongs to
 * another valid record's sled, which a pass may rewrite: site-check.c),
 * and overlapping sleds are refused in both passes, so
 * the second pass sees exactly the sites the first one accepted: no memory
 * is needed to carry verdicts over, which matters in a kernel at boot.
 * The first pass also asks the backend whether it can fill each site
 * (prepare()), so that it names every site that will be refused, not only
 * the malformed ones.
 *
 * What a refusal means is the backend's: on native hardware a refused
 * site runs the instruction the plugin left, as the plain kernel would;
 * on a hypervisor (refusal_fatal) that instruction would fault or be
 * silently ignored, so there the first pass is the last: every refused
 * site is on the console, nothing is patched, and the caller stops.
 *
 * A sled is written in one go from a buffer that is complete before the
 * write, and read back after it: a site is either fully patched or left
 * byte for byte as it was.
 */

#include "internal.h"

#define PV_MAX_SLED	16	/* longest x86 instruction is 15 bytes; sled_len <= 15 */

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

/*
 * Whether the backend can fill this site at all, found without writing
 * anything; for an inline fill, the bytes too (into buf).  Both passes
 * ask: the first so that these refusals are reported before any text
 * changes, the second to fill, and since emitters are pure functions of
 * the sled they give the same answer twice.  0, or -1 with why set.
 */
static int prepare(const struct previrt_site *s, const struct pv_x86_insn *insn,
		   const struct previrt_backend *b, const struct previrt_env *env,
		   unsigned char *buf, char *why, unsigned int why_size)
{
	unsigned int mode = b->fill[s->klass];
	struct previrt_sled sled = { s, previrt_site_sled(s), insn, env };

	/* Only the native instruction can stay in code of the other width. */
	if (s->arch != PV_NATIVE_ARCH && mode != PREVIRT_FILL_KEEP) {
		pv_format(why, why_size, "backend %s cannot patch %u-bit code in a %u-bit runtime",
			  b->name, insn->bits, PV_NATIVE_BITS);
		return -1;
	}
	switch (mode) {
	case PREVIRT_FILL_KEEP:
		return 0;
	case PREVIRT_FILL_GENERIC:
		if (b->handle)
			return 0;
		pv_format(why, why_size, "backend %s has no handler", b->name);
		return -1;
	case PREVIRT_FILL_INLINE:
		if (b->emit && !b->emit(&sled, buf))
			return 0;
		pv_format(why, why_size, "backend %s cannot emit it inline", b->name);
		return -1;
	default:
		pv_format(why, why_size, "backend %s cannot run class %s", b->name,
			  previrt_class_name(s->klass));
		return -1;
	}
}

/*
 * The verdict on one site that needs no write: its record, its sled, and
 * whether the backend can fill it.  0, or -1 with why set.
 */
static int judge(const struct pv_overlap *ov, const struct previrt_site *s,
		 const struct previrt_backend *b, const struct previrt_env *env,
		 struct pv_x86_insn *insn, unsigned char *buf, char *why, unsigned int why_size)
{
	enum pv_site_fault f;
	int dec_err = 0;

	f = pv_check_record(s, env);
	if (!f && pv_overlap_test(ov, s))
		f = PV_SITE_OVERLAP;
	if (!f)
		f = pv_check_sled(s, ov, env, insn, &dec_err);
	if (f == PV_SITE_DECODE)
		pv_format(why, why_size, "%s (%s)", pv_site_fault_text(f), pv_x86_strerror(dec_err));
	else if (f == PV_SITE_INSN_CLASS)
		pv_format(why, why_size, "%s (found %s)", pv_site_fault_text(f),
			  pv_x86_op_name(insn->op));
	else if (f)
		pv_format(why, why_size, "%s", pv_site_fault_text(f));
	if (f)
		return -1;
	return prepare(s, insn, b, env, buf, why, why_size);
}

/*
 * May the padding become the canonical long NOPs? A run of 0x90 is what the
 * plugin writes for CPUs that have no 0f 1f NOP (abi.h), where a long NOP
 * raises #UD: such a run is rewritten only on a CPU of the P6 family or
 * later (every x86-64 one). Padding that holds long NOPs already may be.
 */
static int cpu_has_long_nops(void)
{
#ifdef __x86_64__
	return 1;
#else
	/*
	 * Written out rather than taken from <cpuid.h>: a kernel build has no
	 * compiler headers. cpuid exists where EFLAGS.ID can be toggled.
	 */
	unsigned long before, after;
	unsigned int a = 1, b, c = 0, d;

	__asm__ volatile("pushfl\n\tpopl %0\n\tmovl %0, %1\n\txorl $0x200000, %1\n\t"
			 "pushl %1\n\tpopfl\n\tpushfl\n\tpopl %1\n\tpushl %0\n\tpopfl"
			 : "=&r"(before), "=&r"(after) : : "cc");
	/* no cpuid at all (an early 486) or family 4/5 (Pentium, Geode, Quark) */
	if (!((before ^ after) & 0x200000))
		return 0;
	__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return ((a >> 8) & 0xf) >= 6;
#endif
}

static int may_write_long_nops(const struct previrt_site *s)
{
	const unsigned char *p = previrt_site_sled(s) + previrt_site_pad_offset(s);
	unsigned int i, n = s->sled_len - s->insn_len;

	for (i = 0; i < n; i++)
		if (p[i] != 0x90)
			return 1;
	return cpu_has_long_nops();
}

/* Fill a site judge() accepted; buf holds what prepare() made of it. */
static void fill_site(const struct previrt_site *s, unsigned long index,
		      const struct pv_x86_insn *insn, unsigned char *buf,
		      const struct previrt_backend *b, const struct previrt_env *env,
		      struct previrt_stats *st)
{
	unsigned char *at = previrt_site_sled(s);
	unsigned int slot;
	char why[96];

	switch (b->fill[s->klass]) {
	case PREVIRT_FILL_KEEP:
		if (b->canonical_nops && may_write_long_nops(s)) {
			pv_copy(buf, at, s->sled_len);
			pv_x86_fill_nops(buf + previrt_site_pad_offset(s), s->sled_len - s->insn_len);
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
	default:	/* PREVIRT_FILL_INLINE: prepare() emitted it */
		if (write_sled(env, s, buf)) {
			pv_format(why, sizeof(why), "could not write the text");
			goto refuse;
		}
		break;
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

/*
 * After refusals: the runtime has no symbol table (a kernel at boot has
 * none loaded, a PV guest's image is only its segments), so it names
 * sites by address and says how to get from there to the source.
 */
static void explain_refusals(const struct previrt_env *env, const struct previrt_backend *b,
			     unsigned int refused, const char *consequence)
{
	pv_log(env, "previrt: %s: %u sites refused%s\n", b->name, refused, consequence);
	pv_log(env, "previrt: addresses are of the sleds in the running image: "
	       "addr2line -f -e <image> <address> names the function and line "
	       "(less the load address for a position-independent program)\n");
}

int previrt_patch_range(const struct previrt_site *begin, const struct previrt_site *end,
			const struct previrt_backend *b, const struct previrt_env *env,
			struct previrt_stats *st)
{
	const struct previrt_site *s;
	struct pv_overlap ov;
	struct pv_x86_insn insn;
	unsigned char buf[PV_MAX_SLED];
	unsigned int refused_before = st->refused, refused;
	/* dispatcher slots, foreseen only where running out is fatal */
	unsigned int slots_left = PREVIRT_DISPATCH_SLOTS - previrt_dispatch_slots_used();
	char why[96];

	if (!begin || !end || end <= begin)
		return PREVIRT_OK;
	pv_overlap_init(&ov, begin, end, env);

	for (s = begin; s < end; s++) {
		st->sites++;
		if (!judge(&ov, s, b, env, &insn, buf, why, sizeof(why))) {
			if (!b->refusal_fatal || b->fill[s->klass] != PREVIRT_FILL_GENERIC)
				continue;
			if (slots_left) {
				slots_left--;
				continue;
			}
			pv_format(why, sizeof(why), "all %u dispatcher slots are taken",
				  (unsigned int)PREVIRT_DISPATCH_SLOTS);
		}
		count_refused(st, s);
		pv_report_site(env, s, (unsigned long)(s - begin), "refused", why);
	}
	refused = st->refused - refused_before;
	if (refused && b->refusal_fatal) {
		pv_overlap_done(&ov, env);
		explain_refusals(env, b, refused, ": a refused site would misbehave on this "
				 "platform, nothing was patched");
		return PREVIRT_EREFUSED;
	}

	for (s = begin; s < end; s++)
		if (!judge(&ov, s, b, env, &insn, buf, why, sizeof(why)))
			fill_site(s, (unsigned long)(s - begin), &insn, buf, b, env, st);
	pv_overlap_done(&ov, env);
	refused = st->refused - refused_before;
	if (refused)	/* only writes failed here: the other sites are patched */
		explain_refusals(env, b, refused, b->refusal_fatal ? ": a refused site would "
				 "misbehave on this platform, the others were patched" : "");
	return refused && b->refusal_fatal ? PREVIRT_EREFUSED : PREVIRT_OK;
}
