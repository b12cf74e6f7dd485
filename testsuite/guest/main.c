/* SPDX-License-Identifier: MIT */
/*
 * The conformance guest's C entry. The boot stub (or a hypervisor backend
 * that builds the same start state) calls guest_main with the PVH start
 * info at its high-window address, in long mode, interrupts off.
 */
#include <stdint.h>
#include <xen/arch-x86/hvm/start_info.h>
#include "cpu.h"
#include "crash.h"
#include "desc.h"
#include "lapic.h"
#include "paging.h"
#include "pic.h"
#include "print.h"
#include "runtime-boot.h"
#include "serial.h"
#include "tap.h"
#include "tests.h"
#include "trap.h"

void guest_main(const struct hvm_start_info *si);

static const char *boot_cmdline(const struct hvm_start_info *si)
{
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		tap_bail("start info magic 0x%x, want 0x%x", si->magic, XEN_HVM_START_MAGIC_VALUE);
	if (!si->cmdline_paddr)
		return "";
	if (si->cmdline_paddr >= GUEST_WINDOW_SIZE)
		tap_bail("command line at 0x%llx is outside the mapped window",
			 (unsigned long long)si->cmdline_paddr);
	return phys_to_virt(si->cmdline_paddr);
}

void guest_main(const struct hvm_start_info *si)
{
	serial_init();
	kprintf("TAP version 13\n");
	tap_case("boot");
	tap_note("previrt conformance guest");
	const char *cmdline = boot_cmdline(si);
	tap_note("command line: %s", cmdline);
	tap_eq(cpu_read_flags() & RFLAGS_IF, 0, "entered with interrupts off");
	runtime_boot(cmdline);

	desc_setup();
	trap_setup();
	pic_remap_and_mask();
	lapic_setup();

	test_sites();
	crash_on_request(cmdline);
	test_irqflags();
	test_pio();
	test_cr();
	test_paging();
	test_desc();
	test_segments();
	test_exceptions();
	test_debugreg();
	test_timer();
	test_cpuid();
	test_msr();
	test_tsc();
	test_mmio();
#ifdef __x86_64__	/* 64-bit mode only instructions, and the 64-bit user entry */
	test_fsgsbase();
#endif
	test_xcr();
	test_smap();
	test_cache();
	test_user();
#ifndef __x86_64__
	test_unpatched();
	tap_note("i386 build: no fsgsbase case (64-bit mode instructions; see doc/guest.md)");
#endif
	tap_finish();
}
