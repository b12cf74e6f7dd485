/* SPDX-License-Identifier: MIT */
/* The monitor's own console (COM1, polled) and its exit (see monitor.h). */
#include "monitor.h"

#define COM1		0x3f8
#define LSR		5
#define LSR_THRE	0x20
#define EXIT_PORT	0xf4
#define EXIT_FAILED	0x11	/* QEMU status 35, the guest's "failed" */

static inline void outb(uint8_t v, uint16_t port)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

void mon_putc(char c)
{
	for (unsigned int i = 0; i < 100000 && !(inb(COM1 + LSR) & LSR_THRE); i++)
		;
	outb((uint8_t)c, COM1);
}

void mon_write(const char *s, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		mon_putc(s[i]);
}

void mon_puts(const char *s)
{
	while (*s)
		mon_putc(*s++);
}

void mon_hex(uint32_t v)
{
	mon_puts("0x");
	for (int i = 28; i >= 0; i -= 4)
		mon_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

_Noreturn void mon_exit(unsigned int status)
{
	outb((uint8_t)status, EXIT_PORT);
	for (;;)
		;	/* no isa-debug-exit device: nothing else to do */
}

_Noreturn void mon_fail(const char *what, uint32_t detail)
{
	mon_puts("\nprevirt-l4-monitor: ");
	mon_puts(what);
	mon_puts(" (");
	mon_hex(detail);
	mon_puts(")\n");
	mon_exit(EXIT_FAILED);
}
