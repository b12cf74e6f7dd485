/* SPDX-License-Identifier: MIT */
/* The polled COM1 console. */
#include "serial.h"
#include "io.h"

/* Register offsets from the base port (DLAB = 0 unless noted). */
#define UART_DATA	0
#define UART_IER	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_DLL	0	/* DLAB = 1 */
#define UART_DLM	1	/* DLAB = 1 */

#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define LSR_THRE	0x20	/* transmit holding register empty */

/* 115200 baud 8N1, FIFOs on, no UART interrupts: the console is polled. */
void serial_init(void)
{
	outb(0x00, COM1_BASE + UART_IER);
	outb(LCR_DLAB, COM1_BASE + UART_LCR);
	outb(1, COM1_BASE + UART_DLL);		/* 115200 / 115200 */
	outb(0, COM1_BASE + UART_DLM);
	outb(LCR_8N1, COM1_BASE + UART_LCR);
	outb(0x07, COM1_BASE + UART_FCR);	/* enable and clear FIFOs */
	outb(0x03, COM1_BASE + UART_MCR);	/* DTR, RTS */
}

void serial_putc(char c)
{
	if (c == '\n')
		serial_putc('\r');
	while (!(inb(COM1_BASE + UART_LSR) & LSR_THRE))
		;
	outb((unsigned char)c, COM1_BASE + UART_DATA);
}
