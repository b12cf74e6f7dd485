// SPDX-License-Identifier: MIT
/*
 * Patching IA-64 sleds for a backend (previrt/ia64.h): native keeps them,
 * the test backend turns the instruction's bundle into a long call to a
 * handler. Every write is followed by the I-cache flush of what was
 * written; without it the processor may go on running the old bundle.
 */
#include "previrt/ia64.h"

/* The replacement: { .mlx nop.m tag ; (qp) brl.call.sptk.many b7 = handler ;; } */
static int test_replacement(const struct pv_ia64_patcher *p, const struct previrt_site *s,
			    const struct pv_ia64_bundle *orig, uint64_t sled_addr, uint32_t tag,
			    struct pv_ia64_bundle *out)
{
	char units[3];
	unsigned int qp;

	if (s->sled_len < PREVIRT_IA64_SLED_BUNDLES * PREVIRT_IA64_BUNDLE ||
	    p->handler % PREVIRT_IA64_BUNDLE)
		return PV_IA64_SLED_SHAPE;
	pv_ia64_template_units(orig->tmpl, units);
	/* A long instruction's predicate is in its X slot. */
	qp = pv_ia64_qp(orig->slot[units[s->slot] == 'L' ? 2 : s->slot]);

	out->tmpl = PV_IA64_T_MLX | 1;	/* keep the stop that ended the original bundle */
	out->slot[0] = pv_ia64_nop('M', tag & 0x1fffff);
	pv_ia64_brl_call(qp, 7, (int64_t)(p->handler - sled_addr), &out->slot[1], &out->slot[2]);
	return 0;
}

int pv_ia64_patch_site(const struct pv_ia64_patcher *p, const struct previrt_site *s,
		       unsigned char *sled, uint64_t sled_addr, uint32_t tag,
		       unsigned char saved[PREVIRT_IA64_BUNDLE])
{
	struct pv_ia64_bundle orig, repl;
	unsigned char bytes[PREVIRT_IA64_BUNDLE];
	enum pv_ia64_sled_verdict v;
	int i, err;

	v = pv_ia64_check_sled(s, sled, sled_addr);
	if (v != PV_IA64_SLED_OK)
		return (int)v;
	if (p->backend == PV_IA64_NATIVE)
		return 0;	/* the instruction runs as written */
	if (!p->flush_icache)
		return PV_IA64_SLED_SHAPE;

	pv_ia64_bundle_decode(sled, &orig);
	err = test_replacement(p, s, &orig, sled_addr, tag, &repl);
	if (err)
		return err;
	pv_ia64_bundle_encode(&repl, bytes);
	for (i = 0; i < PREVIRT_IA64_BUNDLE; i++) {
		if (saved)
			saved[i] = sled[i];
		sled[i] = bytes[i];
	}
	p->flush_icache(p->ctx, sled_addr, PREVIRT_IA64_BUNDLE);
	return 0;
}
