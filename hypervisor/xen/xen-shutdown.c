// SPDX-License-Identifier: MIT
/*
 * Leaving the domain, and the I/O privilege that lets dom0 reach
 * QEMU's devices.
 */
#include "xen-pv.h"

int xen_pv_set_iopl(unsigned int iopl)
{
	struct physdev_set_iopl arg = { .iopl = iopl };

	return (int)xen_physdev_op(PHYSDEVOP_set_iopl, &arg);
}

/*
 * With IOPL 1 a guest kernel's in/out are emulated by Xen (no #GP
 * reaches us): these are the only places the backend itself runs them.
 */
void xen_pv_outb(uint16_t port, uint8_t value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

uint8_t xen_pv_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

_Noreturn void xen_pv_shutdown(unsigned int reason)
{
	struct sched_shutdown arg = { .reason = reason };

	for (;;)
		xen_sched_op(SCHEDOP_shutdown, &arg);
}

_Noreturn void xen_pv_exit_status(unsigned int status)
{
	if (xen_pv_set_iopl(1) == 0)
		xen_pv_outb(XEN_PV_EXIT_PORT, (uint8_t)status);
	/* Still here: no isa-debug-exit device. */
	xen_pv_shutdown(status ? SHUTDOWN_crash : SHUTDOWN_reboot);
}
