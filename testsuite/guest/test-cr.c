/* SPDX-License-Identifier: MIT */
/*
 * Control registers: the state long mode requires, and read-modify-write
 * of bits that are safe to flip here. What a CR0.WP flip does to memory
 * accesses is checked by the paging case; CR3 by the paging case too.
 */
#include "cpu.h"
#include "tap.h"
#include "tests.h"

void test_cr(void)
{
	tap_case("cr");

	uint64_t cr0 = cpu_read_cr0(), cr4 = cpu_read_cr4();
	tap_eq(cr0 & (CR0_PE | CR0_PG), CR0_PE | CR0_PG, "CR0 has PE and PG (long mode)");
	tap_eq(cr4 & CR4_PAE, CR4_PAE, "CR4 has PAE (long mode)");

	/* CR4.PCE only widens who may use rdpmc; nothing here runs at CPL 3. */
	cpu_write_cr4(cr4 ^ CR4_PCE);
	tap_eq(cpu_read_cr4(), cr4 ^ CR4_PCE, "CR4 read-modify-write flips PCE");
	cpu_write_cr4(cr4);
	tap_eq(cpu_read_cr4(), cr4, "CR4 write restores the original value");

	/* CR0.MP only matters together with TS for wait/fwait. */
	cpu_write_cr0(cr0 ^ CR0_MP);
	tap_eq(cpu_read_cr0(), cr0 ^ CR0_MP, "CR0 read-modify-write flips MP");
	cpu_write_cr0(cr0 | CR0_WP);
	tap_eq(cpu_read_cr0(), cr0 | CR0_WP, "CR0 write sets WP");
	cpu_write_cr0(cr0 & ~CR0_WP);
	tap_eq(cpu_read_cr0(), cr0 & ~CR0_WP, "CR0 write clears WP");
	cpu_write_cr0(cr0);
	tap_eq(cpu_read_cr0(), cr0, "CR0 write restores the original value");

	/* The legacy forms (the guest uses no FPU/SSE, so TS is harmless). */
	tap_eq(cpu_smsw(), cr0 & 0xffff, "smsw shows the low 16 bits of CR0");
	cpu_write_cr0(cr0 | CR0_TS);
	tap_eq(cpu_smsw() & CR0_TS, CR0_TS, "smsw sees TS set by mov to CR0");
	cpu_clts();
	tap_eq(cpu_read_cr0() & CR0_TS, 0, "clts clears CR0.TS");
	cpu_lmsw((uint16_t)(cr0 | CR0_TS));
	tap_eq(cpu_read_cr0() & CR0_TS, CR0_TS, "lmsw sets CR0.TS");
	cpu_clts();
	tap_eq(cpu_read_cr0(), cr0, "CR0 back to the original value");
}
