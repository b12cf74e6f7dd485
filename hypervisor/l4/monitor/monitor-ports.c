/* SPDX-License-Identifier: MIT */
/*
 * The guest's port I/O, as the monitor answers it.
 *
 * Passed through to the hardware, because the guest is their only user
 * on this machine and their state is what the guest expects to see: COM1
 * (the L4 kernel's debugger shares it for output only), the PCI
 * configuration mechanism #1 and QEMU's isa-debug-exit port. Shared with
 * the L4 kernel, which runs its timer on it: the CMOS/RTC
 * (monitor-cmos.c). Modelled, because the L4 kernel owns the real ones:
 * the two 8259 PICs (their mask registers read back what the guest wrote;
 * commands are taken and dropped). Everything else reads as an absent
 * device (all ones) and ignores writes.
 */
#include <previrt/x86-port-io.h>
#include "monitor.h"

static uint8_t pic_mask[2];

static int passed_through(unsigned int port)
{
	return (port >= 0x3f8 && port <= 0x3ff) || (port >= 0xcf8 && port <= 0xcff) ||
	       port == 0xf4;
}

uint32_t mon_port_in(unsigned int port, unsigned int size)
{
	if (port == 0x21 || port == 0xa1)
		return pic_mask[port == 0xa1];
	if ((port == 0x70 || port == 0x71) && size == 1)
		return mon_cmos_in(port);
	if (!passed_through(port))
		return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	return previrt_port_read(port, size);
}

void mon_port_out(unsigned int port, unsigned int size, uint32_t value)
{
	if (port == 0x21 || port == 0xa1) {
		pic_mask[port == 0xa1] = (uint8_t)value;
		return;
	}
	if ((port == 0x70 || port == 0x71) && size == 1) {
		mon_cmos_out(port, (uint8_t)value);
		return;
	}
	if (passed_through(port))
		previrt_port_write(port, size, value);
}
