// SPDX-License-Identifier: MIT
/*
 * Byte copy, compare and clear.  The kernel archive links into kernels
 * that may or may not provide memcpy and friends, so the runtime never
 * calls them (and is built with -fno-tree-loop-distribute-patterns, so
 * that GCC does not turn these loops back into calls to them).
 */
#include "internal.h"

void pv_copy(void *dst, const void *src, unsigned long n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
}

int pv_same(const void *a, const void *b, unsigned long n)
{
	const unsigned char *x = a, *y = b;

	while (n--)
		if (*x++ != *y++)
			return 0;
	return 1;
}

void pv_zero(void *p, unsigned long n)
{
	unsigned char *d = p;

	while (n--)
		*d++ = 0;
}
