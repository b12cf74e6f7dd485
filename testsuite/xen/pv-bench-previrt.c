// SPDX-License-Identifier: MIT
/*
 * The pre-virtualized side of pv-bench (Xen, x86-64) and of l4-bench
 * (testsuite/l4, i386): ordinary kernel code, compiled with
 * -fplugin=previrt, whose sensitive instructions the backend rewrote at
 * boot (cli inline, sti/pushf/popf through stubs, the rest through the
 * generic dispatcher into the in-place VMM). pushf/popf without a suffix:
 * the native word, as a kernel uses them.
 */
#include "pv-bench.h"

#define COM1_SCRATCH	0x3ff	/* a register of the VMM's virtual 8250 */

void pv_cli_sti(unsigned long n)
{
	while (n--) {
		__asm__ volatile("cli" ::: "memory");
		__asm__ volatile("sti" ::: "memory");
	}
	__asm__ volatile("cli" ::: "memory");
}

void pv_pushf_popf(unsigned long n)
{
	while (n--)
		__asm__ volatile("pushf; popf" ::: "memory", "cc");
}

void pv_port_out(unsigned long n)
{
	while (n--)
		__asm__ volatile("outb %%al, %%dx" : : "a"(0x5a), "d"(COM1_SCRATCH));
}

void pv_cr3_write(unsigned long n)
{
	unsigned long cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	while (n--)
		__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}
