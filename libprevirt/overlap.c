// SPDX-License-Identifier: MIT
/*
 * Which sleds share bytes with another site's sled.
 *
 * Two records for one sled (a table linked in twice, a corrupt offset)
 * would have the sled patched twice, or patched by one record and
 * validated against the other; so overlapping sites are all refused.
 * Only records that pass pv_check_record() count: one that is refused for
 * its own fields is never patched, so it cannot spoil another site, and
 * previrt-audit applies the same rule (tools/sites.c).
 *
 * A table is usually in address order (the plugin writes records in text
 * order, and most objects contribute to one text section): then only
 * the records whose sleds start within 15 bytes (the longest valid sled)
 * before or inside a sled can overlap it, and the check costs nothing.  A kernel with
 * several text sections (.text, .init.text, ...) gets its records
 * interleaved, though.  Then, if the environment lends memory, the sites
 * are sorted by address (heap sort of an index array: no recursion, no
 * libc) and each is compared with the ones that start before it ends,
 * O(n log n); the verdicts are kept as one bit per site.
 *
 * The same walk says which sleds start right where another valid
 * record's sled ends (pv_overlap_follows): the byte before such a sled is
 * the end of a sled the runtime checks, or rewrites, on its own, not a
 * prefix of this one (site-valid.c), and it must be judged the same in
 * both passes of the patcher, though the first may rewrite that byte.  Without memory
 * (a kernel before its allocator) every pair is compared: quadratic, but
 * correct, and said so in the log.
 */
#include "internal.h"

static unsigned long sled_start(const struct previrt_site *s)
{
	return (unsigned long)previrt_site_sled(s);
}

static int sleds_overlap(const struct previrt_site *a, const struct previrt_site *b)
{
	unsigned long a0 = sled_start(a), a1 = a0 + a->sled_len;
	unsigned long b0 = sled_start(b), b1 = b0 + b->sled_len;

	return a0 < b1 && b0 < a1;
}

/* The longest sled a valid record has: the longest x86 instruction. */
#define MAX_VALID_SLED	15

static int counts(const struct pv_overlap *o, const struct previrt_site *s)
{
	return pv_check_record(s, o->env) == PV_SITE_OK;
}

static int claims(const struct previrt_site *s, unsigned long addr)
{
	return addr >= sled_start(s) && addr - sled_start(s) < s->sled_len;
}

static void sift_down(unsigned int *idx, unsigned long root, unsigned long n,
		      const struct previrt_site *t)
{
	for (;;) {
		unsigned long child = 2 * root + 1, top = root;
		unsigned int tmp;

		if (child < n && sled_start(&t[idx[child]]) > sled_start(&t[idx[top]]))
			top = child;
		if (child + 1 < n && sled_start(&t[idx[child + 1]]) > sled_start(&t[idx[top]]))
			top = child + 1;
		if (top == root)
			return;
		tmp = idx[root];
		idx[root] = idx[top];
		idx[top] = tmp;
		root = top;
	}
}

static void sort_by_address(unsigned int *idx, unsigned long n, const struct previrt_site *t)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		idx[i] = (unsigned int)i;
	for (i = n / 2; i-- > 0;)
		sift_down(idx, i, n, t);
	for (i = n; i-- > 1;) {
		unsigned int tmp = idx[0];

		idx[0] = idx[i];
		idx[i] = tmp;
		sift_down(idx, 0, i, t);
	}
}

static void mark(unsigned char *marks, unsigned long i)
{
	marks[i / 8] |= (unsigned char)(1u << (i % 8));
}

void pv_overlap_init(struct pv_overlap *o, const struct previrt_site *begin,
		     const struct previrt_site *end, const struct previrt_env *env)
{
	unsigned long n = (unsigned long)(end - begin), k, j;
	const struct previrt_site *s;
	unsigned int *idx;

	o->begin = begin;
	o->end = end;
	o->env = env;
	o->marks = 0;
	o->mem_size = 0;
	o->sorted = 1;
	for (s = begin; s + 1 < end; s++)
		if (sled_start(s) >= sled_start(s + 1)) {
			o->sorted = 0;
			break;
		}
	if (o->sorted || n >= (1ul << 31))
		return;

	if (env && env->alloc) {
		o->mem_size = n * sizeof(unsigned int) + 2 * ((n + 7) / 8);
		idx = env->alloc(o->mem_size, env->ctx);
	} else {
		idx = 0;
	}
	if (!idx) {
		pv_log(env, "previrt: %lu sites not in address order and no memory lent: "
		       "checking overlaps pairwise\n", n);
		o->mem_size = 0;
		return;
	}
	o->marks = (unsigned char *)(idx + n);
	o->follows = o->marks + (n + 7) / 8;
	pv_zero(o->marks, 2 * ((n + 7) / 8));
	sort_by_address(idx, n, begin);
	/* sorted by start: once a sled starts at or after k's end, so do all later ones */
	for (k = 0; k < n; k++) {
		const struct previrt_site *a = &begin[idx[k]];

		if (!counts(o, a))
			continue;
		for (j = k + 1; j < n && sled_start(&begin[idx[j]]) < sled_start(a) + a->sled_len; j++)
			if (counts(o, &begin[idx[j]])) {
				mark(o->marks, idx[k]);
				mark(o->marks, idx[j]);
			}
		/* and whether the byte before a's sled is another one's */
		for (j = k; j-- > 0 && sled_start(a) - sled_start(&begin[idx[j]]) <= MAX_VALID_SLED;)
			if (claims(&begin[idx[j]], sled_start(a) - 1) && counts(o, &begin[idx[j]]))
				mark(o->follows, idx[k]);
	}
}

int pv_overlap_test(const struct pv_overlap *o, const struct previrt_site *s)
{
	const struct previrt_site *t;
	unsigned long i = (unsigned long)(s - o->begin);

	if (o->sorted) {
		/* starts strictly increase: a valid sled before s overlaps only from close by */
		for (t = s; t-- > o->begin && sled_start(s) - sled_start(t) < MAX_VALID_SLED;)
			if (sleds_overlap(t, s) && counts(o, t))
				return 1;
		for (t = s + 1; t < o->end && sled_start(t) < sled_start(s) + s->sled_len; t++)
			if (counts(o, t))
				return 1;
		return 0;
	}
	if (o->marks)
		return (o->marks[i / 8] >> (i % 8)) & 1;
	for (t = o->begin; t < o->end; t++)
		if (t != s && sleds_overlap(t, s) && counts(o, t))
			return 1;
	return 0;
}

int pv_overlap_follows(const struct pv_overlap *o, const struct previrt_site *s)
{
	const struct previrt_site *t;
	unsigned long i = (unsigned long)(s - o->begin), at = sled_start(s);

	if (o->sorted) {
		for (t = s; t-- > o->begin && at - sled_start(t) <= MAX_VALID_SLED;)
			if (claims(t, at - 1) && counts(o, t))
				return 1;
		return 0;
	}
	if (o->marks)
		return (o->follows[i / 8] >> (i % 8)) & 1;
	for (t = o->begin; t < o->end; t++)
		if (t != s && claims(t, at - 1) && counts(o, t))
			return 1;
	return 0;
}

void pv_overlap_done(struct pv_overlap *o, const struct previrt_env *env)
{
	if (o->marks && env->release)
		env->release((unsigned int *)o->marks - (o->end - o->begin), o->mem_size, env->ctx);
	o->marks = 0;
}
