// SPDX-License-Identifier: MIT
/*
 * The trap-and-emulate side of pv-bench, compiled WITHOUT the plugin: the
 * bare instructions, as an unmodified kernel would run them on Xen (on L4,
 * testsuite/l4's l4-bench, they fault in the task and the VMM thread
 * emulates them all; pushf/popf still never trap).
 *
 *  cli/sti     with I/O privilege 0 they raise #GP; Xen bounces it to the
 *              VMM's trap handler, which emulates them and steps over
 *              (the fallback for sites the plugin never saw);
 *  pushf/popf  never trap: they run at native speed and read or set the
 *              real IF, which is the wrong one (listed for reference);
 *  out         emulated by Xen's I/O emulation (dom0 with I/O privilege);
 *  mov to cr3  emulated by Xen: a real address-space switch.
 */
#include "pv-bench.h"

#define COM1_SCRATCH	0x3ff

void raw_cli_sti(unsigned long n)
{
	while (n--) {
		__asm__ volatile("cli" ::: "memory");
		__asm__ volatile("sti" ::: "memory");
	}
	__asm__ volatile("cli" ::: "memory");
}

void raw_pushf_popf(unsigned long n)
{
	while (n--)
		__asm__ volatile("pushf; popf" ::: "memory", "cc");
}

void raw_port_out(unsigned long n)
{
	while (n--)
		__asm__ volatile("outb %%al, %%dx" : : "a"(0x5a), "d"(COM1_SCRATCH));
}

void raw_cr3_write(unsigned long n)
{
	unsigned long cr3;

	/* Xen's emulation reads back the machine address of the real root */
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	while (n--)
		__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

/* The low word on i386: differences stay right for intervals below 2^32 cycles. */
unsigned long bench_tsc(void)
{
	unsigned int lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi));
	return (unsigned long)((unsigned long long)hi << 32 | lo);
}

/* Cycles per iteration of loop(n), best of three runs (both benches' harness). */
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
