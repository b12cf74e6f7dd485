// SPDX-License-Identifier: MIT
/*
 * Which sleds share bytes with another site's sled.
 *
 * Two records for one sled (a table linked in twice, a corrupt offset)
 * would have the sled patched twice, or patched by one record and
 * validated against the other; so overlapping sites are all refused.
 *
 * A table is usually in address order (the plugin writes records in text
 * order, and most objects contribute to one text section): then only
 * sites less than a sled's greatest length apart can overlap (usually the
 * next one tells), and the check costs next to nothing.  A kernel with
 * several text sections (.text, .init.text, ...) gets its records
 * interleaved, though.  Then, if the environment lends memory, the sites
 * are sorted by address (heap sort of an index array: no recursion, no
 * libc) and each is compared with the ones that start before it ends,
 * O(n log n); the verdicts are kept as one bit per site.  Without memory
 * (a kernel before its allocator) every pair is compared: quadratic, but
 * correct, and said so in the log.
 */
#include "internal.h"

/* sled_len is one byte: no sled reaches this far from its start */
#define PV_OVERLAP_REACH 256

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
		o->mem_size = n * sizeof(unsigned int) + (n + 7) / 8;
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
	pv_zero(o->marks, (n + 7) / 8);
	sort_by_address(idx, n, begin);
	/*
	 * Sorted by start: once a sled starts at or after k's end, so do all
	 * later ones.  Before that, a sled may still not overlap k (an empty
	 * one, which a corrupt record can claim) while a later one does: the
	 * scan stops at the end of k, not at the first sled that misses it.
	 */
	for (k = 0; k < n; k++) {
		const struct previrt_site *a = &begin[idx[k]];

		for (j = k + 1; j < n && sled_start(&begin[idx[j]]) < sled_start(a) + a->sled_len; j++)
			if (sleds_overlap(a, &begin[idx[j]])) {
				mark(o->marks, idx[k]);
				mark(o->marks, idx[j]);
			}
	}
}

int pv_overlap_test(const struct pv_overlap *o, const struct previrt_site *s)
{
	const struct previrt_site *t;
	unsigned long i = (unsigned long)(s - o->begin);

	if (o->sorted) {
		/*
		 * Not only the neighbours: a long sled can reach past a short or
		 * empty one next to it.  Starts increase strictly and no sled is
		 * longer than PV_OVERLAP_REACH, so only the sites starting less
		 * than that before s, or before s's end, can share a byte with it.
		 */
		for (t = s; t > o->begin && sled_start(s) - sled_start(t - 1) < PV_OVERLAP_REACH;)
			if (sleds_overlap(--t, s))
				return 1;
		for (t = s + 1; t < o->end && sled_start(t) < sled_start(s) + s->sled_len; t++)
			if (sleds_overlap(s, t))
				return 1;
		return 0;
	}
	if (o->marks)
		return (o->marks[i / 8] >> (i % 8)) & 1;
	for (t = o->begin; t < o->end; t++)
		if (t != s && sleds_overlap(t, s))
			return 1;
	return 0;
}

void pv_overlap_done(struct pv_overlap *o, const struct previrt_env *env)
{
	if (o->marks && env->release)
		env->release((unsigned int *)o->marks - (o->end - o->begin), o->mem_size, env->ctx);
	o->marks = 0;
}
