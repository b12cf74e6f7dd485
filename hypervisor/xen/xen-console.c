// SPDX-License-Identifier: MIT
/*
 * Output to Xen's console.  As dom0 we own it: console_io(write) puts the
 * bytes on Xen's serial line (COM1 under QEMU), unbuffered.
 */
#include "xen-pv.h"

void xen_console_write_n(const char *s, unsigned long n)
{
	xen_console_write(s, n);
}

void xen_console_puts(const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	xen_console_write(s, n);
}

void xen_console_hex(unsigned long v)
{
	char buf[18];
	int i;

	buf[0] = '0';
	buf[1] = 'x';
	for (i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	xen_console_write(buf, sizeof(buf));
}
