/* SPDX-License-Identifier: MIT */
/*
 * l4-bench: the headline figure of pre-virtualization on L4. Started by
 * previrt-l4-monitor like the conformance guest (l4_guest_start patches
 * the sleds and calls guest_main), it times each operation on its
 * pre-virtualized path and on its trap-and-emulate path in the same run
 * and prints TSC cycles per operation and their ratio through the
 * monitor's console. The two sides are pv-bench's (testsuite/xen:
 * pv-bench-previrt.c through the plugin, pv-bench-raw.c without it);
 * this file is compiled without the plugin.
 */
#include <stdint.h>
#include "l4-backend.h"
#include "l4-vmm-proto.h"
#include "pv-bench.h"

struct hvm_start_info;
void guest_main(const struct hvm_start_info *si);

static void puts_(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	l4_vmm_console_write(&l4_vmm.sys, s, n);
}

static void put_dec(unsigned long v, int width)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = 0;
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	while ((int)sizeof(buf) - 1 - i < width)
		buf[--i] = ' ';
	puts_(buf + i);
}

static void row(const char *name, void (*pv)(unsigned long), void (*raw)(unsigned long),
		unsigned long n, const char *note)
{
	unsigned long a = bench_per_op(pv, n), b = bench_per_op(raw, n), r = a ? b * 100 / a : 0;

	puts_("bench: ");
	puts_(name);
	puts_(" previrt ");
	put_dec(a, 7);
	puts_(" trap ");
	put_dec(b, 7);
	puts_(" ratio ");
	put_dec(r / 100, 4);
	puts_(".");
	put_dec(r / 10 % 10, 1);
	put_dec(r % 10, 1);
	puts_(note);
	puts_("\n");
}

void guest_main(const struct hvm_start_info *si)
{
	struct l4_msg msg;

	(void)si;
	puts_("bench: TSC cycles per operation on L4Ka::Pistachio ia32 (QEMU TCG), best of 3\n");
	puts_("bench: ratio = trap-and-emulate / pre-virtualized\n");
	row("cli+sti    ", pv_cli_sti, raw_cli_sti, 20000,
	    "  (previrt: cli one store, sti a stub; trap: #GP, the VMM thread)");
	row("pushf+popf ", pv_pushf_popf, raw_pushf_popf, 20000,
	    "  (trap: none, native and wrong IF: for reference)");
	row("out COM1   ", pv_port_out, raw_port_out, 2000,
	    "  (both end in a call to the monitor; trap: I/O-fpage fault first)");
	row("mov to cr3 ", pv_cr3_write, raw_cr3_write, 2000,
	    "  (both flush the user half with Unmap; trap: #GP, the VMM thread)");
	puts_("bench: done\n");
	l4_vmm_shutdown(&msg, 0x10);
	{
		l4_word_t from;

		l4_sys_ipc(&l4_vmm.sys, l4_vmm.monitor, l4_vmm.monitor,
			   l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER), &msg, &msg, &from);
	}
	for (;;)
		;
}
