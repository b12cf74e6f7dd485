/* SPDX-License-Identifier: MIT */
/*
 * l4-bench: the headline figure of pre-virtualization on L4. Started by
 * previrt-l4-monitor like the conformance guest (l4_guest_start patches
 * the sleds and calls guest_main), it times each operation on its
 * pre-virtualized path and on its trap-and-emulate path in the same run
 * and prints TSC cycles per operation and their ratio through the
 * monitor's console. The operations and the harness are pv-bench's
 * (testsuite/xen: pv-bench-ops.c, once through the plugin and once
 * without it, and pv-bench-harness.c); this file is compiled without it.
 */
#include <stdint.h>
#include "l4-backend.h"
#include "pv-bench.h"

struct hvm_start_info;
void guest_main(const struct hvm_start_info *si);

static void puts_(const char *s)
{
	l4_vmm_console_puts(&l4_vmm.sys, s);
}

void guest_main(const struct hvm_start_info *si)
{
	(void)si;
	puts_("bench: TSC cycles per operation on L4Ka::Pistachio ia32 (QEMU TCG), best of 3\n");
	puts_("bench: ratio = trap-and-emulate / pre-virtualized\n");
	bench_row(puts_, "cli+sti    ", pv_cli_sti, raw_cli_sti, 20000,
		  "  (previrt: cli one store, sti a stub; trap: #GP, the VMM thread)");
	bench_row(puts_, "pushf+popf ", pv_pushf_popf, raw_pushf_popf, 20000,
		  "  (trap: none, native and wrong IF: for reference)");
	bench_row(puts_, "out COM1   ", pv_port_out, raw_port_out, 2000,
		  "  (both end in a call to the monitor; trap: I/O-fpage fault first)");
	bench_row(puts_, "mov to cr3 ", pv_cr3_write, raw_cr3_write, 2000,
		  "  (both flush the user half with Unmap; trap: #GP, the VMM thread)");
	puts_("bench: done\n");
	l4_vmm_exit(&l4_vmm.sys, 0x10);		/* QEMU status 33: passed */
}
