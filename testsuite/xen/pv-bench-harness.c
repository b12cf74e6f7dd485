// SPDX-License-Identifier: MIT
/*
 * The measuring half of pv-bench and l4-bench, compiled without the
 * plugin (its rdtsc is the real one): cycles per iteration, and one table
 * row printed through the platform's console.
 */
#include "pv-bench.h"

/* The low word on i386: differences stay right for intervals below 2^32 cycles. */
unsigned long bench_tsc(void)
{
	unsigned int lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long)((unsigned long long)hi << 32 | lo);
}

unsigned long bench_per_op(void (*loop)(unsigned long), unsigned long n)
{
	unsigned long best = ~0UL;

	loop(n / 10 + 1);	/* warm up: caches, and the virtual TLB */
	for (int run = 0; run < 3; run++) {
		unsigned long t0 = bench_tsc();

		loop(n);
		unsigned long t = (bench_tsc() - t0) / n;
		if (t < best)
			best = t;
	}
	return best;
}

/* v right-aligned in width characters (at least its digits). */
static void put_dec(void (*puts)(const char *), unsigned long v, int width)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = 0;
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	while ((int)sizeof(buf) - 1 - i < width)
		buf[--i] = ' ';
	puts(buf + i);
}

void bench_row(void (*puts)(const char *), const char *name, void (*pv)(unsigned long),
	       void (*raw)(unsigned long), unsigned long n, const char *note)
{
	unsigned long a = bench_per_op(pv, n), b = bench_per_op(raw, n);
	unsigned long r = a ? b * 100 / a : 0;	/* the ratio, in hundredths */

	puts("bench: ");
	puts(name);
	puts(" previrt ");
	put_dec(puts, a, 7);
	puts(" trap ");
	put_dec(puts, b, 7);
	puts(" ratio ");
	put_dec(puts, r / 100, 1);
	puts(".");
	put_dec(puts, r / 10 % 10, 1);
	put_dec(puts, r % 10, 1);
	puts(note);
	puts("\n");
}
