/* SPDX-License-Identifier: MIT */
/* The console: the 8250/16550 UART at COM1, polled, through port I/O sites. */
#ifndef GUEST_SERIAL_H
#define GUEST_SERIAL_H

#define COM1_BASE	0x3f8
#define UART_SCRATCH	7	/* register offset: a byte the UART keeps for software */

void serial_init(void);
void serial_putc(char c);

#endif
