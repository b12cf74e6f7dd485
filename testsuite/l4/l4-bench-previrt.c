/* SPDX-License-Identifier: MIT */
/*
 * The pre-virtualized side of l4-bench: ordinary kernel code compiled with
 * -fplugin=previrt, whose sleds the L4 backend filled at boot (cli and sti
 * inline, the rest through the generic dispatcher into the in-place VMM).
 */
#include "l4-bench.h"

#define COM1_SCRATCH	0x3ff

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
		__asm__ volatile("pushfl; popfl" ::: "memory", "cc");
}

void pv_port_out(unsigned long n)
{
	while (n--)
		__asm__ volatile("outb %%al, %%dx" : : "a"(0x5a), "d"(COM1_SCRATCH));
}

unsigned long pv_read_cr3(void)
{
	unsigned long cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

void pv_cr3_write(unsigned long n)
{
	unsigned long cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	while (n--)
		__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}
