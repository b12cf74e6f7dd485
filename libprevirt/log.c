// SPDX-License-Identifier: MIT
/*
 * Messages, without libc: a small formatter for the handful of
 * conversions the runtime's messages use, writing through env->write.
 * Numbers are at most 'unsigned long' wide, so that i386 builds need no
 * 64-bit division from libgcc.
 * Lines are formatted whole into a stack buffer first, so that a console
 * that is shared with other output gets each message in one piece.
 */
#include "internal.h"

struct out {
	char *buf;
	unsigned int size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_number(struct out *o, unsigned long v, unsigned int base, int neg,
		       unsigned int width, char pad)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		unsigned int d = (unsigned int)(v % base);
		tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	while (width > n) {
		put(o, pad);
		width--;
	}
	while (n)
		put(o, tmp[--n]);
}

unsigned int pv_vformat(char *buf, unsigned int size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		unsigned int width = 0, longs = 0, left = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '-') {
			left = 1;
			fmt++;
		}
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (unsigned int)(*fmt++ - '0');
		while (*fmt == 'l') {
			longs++;
			fmt++;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			unsigned int n = 0;

			if (!s)
				s = "(null)";
			while (s[n])
				n++;
			for (; !left && width > n; width--)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			for (; left && width > n; width--)
				put(&o, ' ');
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 'd': {
			long v = longs ? va_arg(ap, long) : va_arg(ap, int);
			put_number(&o, v < 0 ? 0UL - (unsigned long)v : (unsigned long)v,
				   10, v < 0, width, pad);
			break;
		}
		case 'u': case 'x': {
			unsigned long v = longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			put_number(&o, v, *fmt == 'u' ? 10 : 16, 0, width, pad);
			break;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (unsigned long)va_arg(ap, void *), 16, 0, 0, ' ');
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len < size ? o.len : (size ? size - 1 : 0);
}

unsigned int pv_format(char *buf, unsigned int size, const char *fmt, ...)
{
	va_list ap;
	unsigned int n;

	va_start(ap, fmt);
	n = pv_vformat(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void pv_vlog(const struct previrt_env *env, const char *fmt, va_list ap)
{
	char line[256];
	unsigned int n;

	if (!env || !env->write)
		return;
	n = pv_vformat(line, sizeof(line), fmt, ap);
	env->write(line, n, env->ctx);
}

void pv_log(const struct previrt_env *env, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pv_vlog(env, fmt, ap);
	va_end(ap);
}
