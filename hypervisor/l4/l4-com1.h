/* SPDX-License-Identifier: MIT */
/*
 * Output on COM1, polled, and QEMU's isa-debug-exit: for the root tasks
 * that talk to the hardware themselves (previrt-l4-monitor, l4-probe).
 * A root task has the ports at IOPL 3, or (a kernel built with I/O fpages)
 * gets them from sigma0 on its first access to each.
 */
#ifndef PREVIRT_L4_COM1_H
#define PREVIRT_L4_COM1_H

#include <previrt/x86-port-io.h>

#define L4_COM1			0x3f8
#define L4_COM1_LSR		(L4_COM1 + 5)
#define L4_COM1_LSR_THRE	0x20	/* transmitter holding register empty */
#define L4_DEBUG_EXIT_PORT	0xf4	/* QEMU exits with (value << 1) | 1 */

static inline void l4_com1_putc(char c)
{
	for (unsigned int i = 0; i < 100000 && !(previrt_port_read(L4_COM1_LSR, 1) & L4_COM1_LSR_THRE);
	     i++)
		;
	previrt_port_write(L4_COM1, 1, (uint8_t)c);
}

static inline void l4_debug_exit(unsigned int status)
{
	previrt_port_write(L4_DEBUG_EXIT_PORT, 1, (uint8_t)status);
}

#endif
