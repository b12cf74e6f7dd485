// SPDX-License-Identifier: MIT
/*
 * pv-bench: the headline figure of pre-virtualization on Xen.  Booted by
 * the Xen backend's PV entry (xen_pv_start patches the sleds and calls
 * guest_main, as for the conformance guest), it times each operation on
 * its pre-virtualized path and on its trap-and-emulate path in the same
 * run, and prints TSC cycles per operation and their ratio on Xen's
 * console.  Compiled without the plugin (pv-bench-ops.c is, once, too).
 */
#include <stdint.h>
#include "xen-pv.h"
#include "pv-bench.h"

struct hvm_start_info;
void guest_main(const struct hvm_start_info *si);

#define PASS_STATUS	0x10

/* cli/sti only trap without I/O privilege (with it Xen ignores them). */
static void raw_cli_sti_iopl0(unsigned long n)
{
	xen_pv_set_iopl(0);
	raw_cli_sti(n);
	xen_pv_set_iopl(1);
}

void guest_main(const struct hvm_start_info *si)
{
	(void)si;
	xen_console_puts("bench: TSC cycles per operation on Xen 4.17 PV (QEMU TCG), best of 3\n");
	xen_console_puts("bench: ratio = trap-and-emulate / pre-virtualized\n");
	bench_row(xen_console_puts, "cli+sti    ", pv_cli_sti, raw_cli_sti_iopl0, 20000,
		  "  (trap: #GP at IOPL 0, emulated by the VMM)");
	bench_row(xen_console_puts, "pushf+popf ", pv_pushf_popf, raw_pushf_popf, 20000,
		  "  (trap: none, native and wrong IF: for reference)");
	bench_row(xen_console_puts, "out COM1   ", pv_port_out, raw_port_out, 20000,
		  "  (trap: Xen's I/O emulation)");
	bench_row(xen_console_puts, "mov to cr3 ", pv_cr3_write, raw_cr3_write, 5000,
		  "  (trap: Xen's emulation, a real switch)");
	xen_console_puts("bench: done\n");
	xen_pv_exit_status(PASS_STATUS);
}
