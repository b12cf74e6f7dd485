/* SPDX-License-Identifier: MIT */
/* printf-style formatting onto the serial console, without libc. */
#include <stdint.h>
#include "print.h"
#include "serial.h"

static void put_padded(const char *digits, int len, int width, char pad, int negative)
{
	int total = len + negative;

	if (negative && pad == '0')
		serial_putc('-');
	for (; total < width; total++)
		serial_putc(pad);
	if (negative && pad != '0')
		serial_putc('-');
	while (len--)
		serial_putc(digits[len]);	/* digits are stored least significant first */
}

static void put_unsigned(uint64_t v, unsigned base, int width, char pad, int negative)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	put_padded(digits, n, width, pad, negative);
}

void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			serial_putc(*fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, longs = 0;

		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			longs++;
			fmt++;
		}

		uint64_t u;
		int64_t s;
		switch (*fmt) {
		case 'd':
		case 'i':
			/* l is long, ll long long: 64 bits either way on x86-64 */
			s = longs > 1 ? va_arg(ap, int64_t) : longs ? va_arg(ap, long) : va_arg(ap, int);
			u = s < 0 ? -(uint64_t)s : (uint64_t)s;
			put_unsigned(u, 10, width, pad, s < 0);
			break;
		case 'u':
			u = longs > 1 ? va_arg(ap, uint64_t) : longs ? va_arg(ap, unsigned long)
								  : va_arg(ap, unsigned);
			put_unsigned(u, 10, width, pad, 0);
			break;
		case 'x':
			u = longs > 1 ? va_arg(ap, uint64_t) : longs ? va_arg(ap, unsigned long)
								  : va_arg(ap, unsigned);
			put_unsigned(u, 16, width, pad, 0);
			break;
		case 'p':
			serial_putc('0');
			serial_putc('x');
			put_unsigned((uintptr_t)va_arg(ap, void *), 16, width, pad, 0);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			while (*str)
				serial_putc(*str++);
			break;
		}
		case 'c':
			serial_putc((char)va_arg(ap, int));
			break;
		case '%':
			serial_putc('%');
			break;
		case '\0':
			return;
		default:			/* show what we did not understand */
			serial_putc('%');
			serial_putc(*fmt);
			break;
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}
