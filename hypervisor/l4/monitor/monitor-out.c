/* SPDX-License-Identifier: MIT */
/* The monitor's own console (COM1, polled) and its exit (see monitor.h). */
#include "l4-com1.h"
#include "monitor.h"

#define EXIT_FAILED	0x11	/* QEMU status 35, the guest's "failed" */

void mon_putc(char c)
{
	l4_com1_putc(c);
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
	l4_debug_exit(status);
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
