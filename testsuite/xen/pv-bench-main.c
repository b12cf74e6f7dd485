// SPDX-License-Identifier: MIT
/*
 * pv-bench: the headline figure of pre-virtualization on Xen.  Booted by
 * the Xen backend's PV entry (xen_pv_start patches the sleds and calls
 * guest_main, as for the conformance guest), it times each operation on
 * its pre-virtualized path and on its trap-and-emulate path in the same
 * run, and prints TSC cycles per operation and their ratio on Xen's
 * console.  Compiled without the plugin: only pv-bench-previrt.c is.
 */
#include <stdint.h>
#include "xen-pv.h"
#include "pv-bench.h"

struct hvm_start_info;
void guest_main(const struct hvm_start_info *si);

#define PASS_STATUS	0x10

static void put_dec(unsigned long v)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = 0;
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	xen_console_puts(buf + i);
}

/* v / 100 with two decimals */
static void put_centi(unsigned long v)
{
	put_dec(v / 100);
	xen_console_puts(".");
	xen_console_write_n(&"0123456789"[v / 10 % 10], 1);
	xen_console_write_n(&"0123456789"[v % 10], 1);
}

static void pad(unsigned long v, int width)
{
	int digits = 1;

	while (v >= 10) {
		v /= 10;
		digits++;
	}
	while (digits++ < width)
		xen_console_puts(" ");
}

static void row(const char *name, void (*pv)(unsigned long), void (*raw)(unsigned long),
		unsigned long n, const char *note)
{
	unsigned long a = bench_per_op(pv, n), b = bench_per_op(raw, n);

	xen_console_puts("bench: ");
	xen_console_puts(name);
	xen_console_puts(" previrt ");
	pad(a, 7);
	put_dec(a);
	xen_console_puts(" trap ");
	pad(b, 7);
	put_dec(b);
	xen_console_puts(" ratio ");
	put_centi(a ? b * 100 / a : 0);
	xen_console_puts(note);
	xen_console_puts("\n");
}

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
	row("cli+sti    ", pv_cli_sti, raw_cli_sti_iopl0, 20000,
	    "  (trap: #GP at IOPL 0, emulated by the VMM)");
	row("pushf+popf ", pv_pushf_popf, raw_pushf_popf, 20000,
	    "  (trap: none, native and wrong IF: for reference)");
	row("out COM1   ", pv_port_out, raw_port_out, 20000,
	    "  (trap: Xen's I/O emulation)");
	row("mov to cr3 ", pv_cr3_write, raw_cr3_write, 5000,
	    "  (trap: Xen's emulation, a real switch)");
	xen_console_puts("bench: done\n");
	xen_pv_exit_status(PASS_STATUS);
}
