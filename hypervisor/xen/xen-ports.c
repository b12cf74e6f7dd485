// SPDX-License-Identifier: MIT
/*
 * Port I/O of the guest.
 *
 * As dom0 with I/O privilege (PHYSDEVOP_set_iopl), our own in/out reach
 * the machine's devices through Xen, except those Xen keeps for itself:
 * COM1 is Xen's console line and the 8259s and the PIT are Xen's.  So:
 *
 *  - COM1 (0x3f8-0x3ff) is a virtual 8250: registers read back what was
 *    written, the transmitter is always ready, and transmitted bytes go
 *    to Xen's console (one console_io per line: the same serial line in
 *    the end, a hypercall per byte would only be slower);
 *  - the 8259s are libprevirt's model (previrt/pic8259.h), with its one
 *    reset state; its INT output is not wired on Xen (the guest only
 *    programs and masks them; its interrupts come from the virtual APIC);
 *  - the isa-debug-exit port flushes the console first, then passes
 *    through, so QEMU's exit status is the guest's;
 *  - everything else passes through to the real port.
 */
#include <previrt/x86-port-io.h>
#include <previrt/pic8259.h>
#include "xen-vmm.h"

#define COM1		0x3f8
#define UART_RBR_THR	0
#define UART_IER	1
#define UART_IIR_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7
#define LCR_DLAB	0x80
#define LSR_IDLE	0x60	/* THR empty, transmitter empty, no data */

static struct {
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
} uart = { .dll = 1 };

static char line[256];
static unsigned int line_len;
static struct previrt_pic pic;
static int pic_ready;

static struct previrt_pic *the_pic(struct previrt_vcpu *v)
{
	if (!pic_ready) {
		previrt_pic_reset(&pic, 0, v);
		pic_ready = 1;
	}
	return &pic;
}

void xen_uart_flush(void)
{
	if (line_len)
		xen_console_write_n(line, line_len);
	line_len = 0;
}

static void uart_transmit(char c)
{
	line[line_len++] = c;
	if (c == '\n' || line_len == sizeof(line))
		xen_uart_flush();
}

static uint8_t uart_read(unsigned int r)
{
	int dlab = uart.lcr & LCR_DLAB;

	switch (r) {
	case UART_RBR_THR: return dlab ? uart.dll : 0;
	case UART_IER: return dlab ? uart.dlm : uart.ier;
	case UART_IIR_FCR: return (uart.fcr & 1) ? 0xc1 : 0x01;	/* no interrupt */
	case UART_LCR: return uart.lcr;
	case UART_MCR: return uart.mcr;
	case UART_LSR: return LSR_IDLE;
	case UART_MSR: return 0xb0;	/* CTS, DSR, DCD: a cable is there */
	default: return uart.scr;
	}
}

static void uart_write(unsigned int r, uint8_t v)
{
	int dlab = uart.lcr & LCR_DLAB;

	switch (r) {
	case UART_RBR_THR:
		if (dlab)
			uart.dll = v;
		else
			uart_transmit((char)v);
		break;
	case UART_IER:
		if (dlab)
			uart.dlm = v;
		else
			uart.ier = v & 0x0f;
		break;
	case UART_IIR_FCR: uart.fcr = v; break;
	case UART_LCR: uart.lcr = v; break;
	case UART_MCR: uart.mcr = v & 0x1f; break;
	case UART_SCR: uart.scr = v; break;
	}
}

static int is_pic(unsigned int port)
{
	return port == 0x20 || port == 0x21 || port == 0xa0 || port == 0xa1;
}

uint32_t xen_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	if (port >= COM1 && port < COM1 + 8)
		return uart_read(port - COM1);
	if (is_pic(port))
		return previrt_pic_read(the_pic(v), port);
	return previrt_port_read(port, size);
}

void xen_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size, uint32_t value)
{
	if (port >= COM1 && port < COM1 + 8) {
		uart_write(port - COM1, (uint8_t)value);
		return;
	}
	if (is_pic(port)) {
		previrt_pic_write(the_pic(v), port, (uint8_t)value);
		return;
	}
	if (port == XEN_PV_EXIT_PORT)
		xen_uart_flush();
	previrt_port_write(port, size, value);
}
