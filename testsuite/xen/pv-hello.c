// SPDX-License-Identifier: MIT
/*
 * pv-hello's checks, printed as TAP on Xen's console: each is a fact
 * about the start state Xen gives a PV dom0 that the backend relies on.
 * The domain then exits with the result (isa-debug-exit: QEMU's status is
 * 33 when every check passed, 35 otherwise).
 */
#include <stdint.h>
#include "xen-pv.h"

#define PASS_STATUS	0x10
#define FAIL_STATUS	0x11

static unsigned int checks, failures;

static void put_number(unsigned int n)
{
	char num[12];
	int i = sizeof(num);

	num[--i] = 0;
	do
		num[--i] = (char)('0' + n % 10);
	while (n /= 10);
	xen_console_puts(num + i);
}

static void check(int ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	xen_console_puts(ok ? "ok " : "not ok ");
	put_number(checks);
	xen_console_puts(" - ");
	xen_console_puts(what);
	xen_console_puts("\n");
}

static int starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	return 1;
}

void pv_hello_main(start_info_t *si);

void pv_hello_main(start_info_t *si)
{
	xen_console_puts("TAP version 13\n# previrt pv-hello: a 64-bit PV kernel on Xen\n");
	check(starts_with(si->magic, "xen-3.0-x86_64"), "start_info magic is xen-3.0-x86_64");
	check((si->flags & SIF_INITDOMAIN) != 0, "we are the initial domain");
	xen_console_puts("# command line: ");
	xen_console_puts((const char *)si->cmd_line);
	xen_console_puts("\n");
	check(xen_pv_setup(si) == 0, "shared_info mapped with update_va_mapping");
	check(xen_vcpu->evtchn_upcall_mask == 1, "entered with events masked (virtual IF clear)");

	uint64_t t0 = xen_pv_system_time();
	uint64_t t1 = t0;
	for (unsigned long spin = 0; spin < 100000000UL && t1 - t0 < 1000000; spin++)
		t1 = xen_pv_system_time();
	check(t0 > 0 && t1 - t0 >= 1000000, "system time runs (1 ms seen to pass)");

	/*
	 * Why a kernel needs the backend at all: sgdt is not privileged,
	 * so in ring 3 it quietly shows Xen's own GDT, which lives in the
	 * hypervisor's half of the address space (the 64-bit PV ABI
	 * reserves [0xffff800000000000, 0xffff880000000000) for Xen).
	 */
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gdtr;
	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	check(gdtr.base >= 0xffff800000000000UL && gdtr.base < 0xffff880000000000UL,
	      "a native sgdt leaks Xen's GDT address");

	xen_console_puts("1..");
	put_number(checks);
	xen_console_puts("\n");
	xen_pv_exit_status(failures ? FAIL_STATUS : PASS_STATUS);
}
