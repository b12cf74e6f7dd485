/* SPDX-License-Identifier: MIT */
/*
 * Code built without the plugin (i386 build only): cli, sti and moves
 * from and to control registers with no sled around them
 * (unpatched-i386.S) must do what they do on the CPU, whoever runs them:
 * natively the CPU itself, on L4 the VMM thread's fallback (the virtual
 * CPU's own emulation, vmm/fallback.c). What they change is read back
 * through the patched paths, so the two must agree.
 */
#include "cpu.h"
#include "tap.h"
#include "tests.h"

#define FLAGS_IF	(1u << 9)

void unpatched_cli(void);
void unpatched_sti(void);
unsigned long unpatched_read_cr0(void);
unsigned long unpatched_read_cr3(void);
void unpatched_write_cr3(unsigned long v);

static volatile unsigned long probe_word = 0x6e6f736cu;

void test_unpatched(void)
{
	uint64_t saved = cpu_read_flags();
	unsigned long cr3 = cpu_read_cr3();

	tap_case("unpatched");
	cpu_sti();
	unpatched_cli();
	tap_eq(cpu_read_flags() & FLAGS_IF, 0, "cli outside a sled clears IF (pushf shows it)");
	unpatched_sti();
	tap_eq(cpu_read_flags() & FLAGS_IF, FLAGS_IF, "sti outside a sled sets IF");
	cpu_write_flags(saved);
	tap_eq(unpatched_read_cr0(), cpu_read_cr0(), "mov from %%cr0 outside a sled reads what the sled reads");
	tap_eq(unpatched_read_cr3(), cr3, "mov from %%cr3 outside a sled reads what the sled reads");
	unpatched_write_cr3(cr3);
	tap_eq(cpu_read_cr3(), cr3, "mov to %%cr3 outside a sled, same tables, keeps them");
	tap_eq(probe_word, 0x6e6f736cu, "memory reads the same after that reload");
}
