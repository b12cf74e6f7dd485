/* SPDX-License-Identifier: MIT */
/*
 * TAP on COM1, verdict through isa-debug-exit. The ports are used
 * directly: a root task has them at IOPL 3, or (a kernel built with I/O
 * fpages) gets them from sigma0 on its first access to each. Not through
 * the kernel debugger: the L4 build the guest needs has none (doc/l4.md).
 */
#include "l4-probe-out.h"

static unsigned int run, failed;

static void com1_putc(char c)
{
	uint8_t lsr;

	for (unsigned int i = 0; i < 100000; i++) {
		__asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((uint16_t)0x3fd));
		if (lsr & 0x20)
			break;	/* transmitter holding register empty */
	}
	__asm__ volatile("outb %0, %1" :: "a"((uint8_t)c), "Nd"((uint16_t)0x3f8));
}

void probe_puts(const char *s)
{
	while (*s)
		com1_putc(*s++);
}

void probe_put_hex(uint32_t v)
{
	probe_puts("0x");
	for (int i = 28; i >= 0; i -= 4)
		com1_putc("0123456789abcdef"[(v >> i) & 0xf]);
}

static void put_dec(unsigned int v)
{
	char d[12];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n--)
		com1_putc(d[n]);
}

int probe_check(int ok, const char *what)
{
	run++;
	if (!ok)
		failed++;
	probe_puts(ok ? "ok " : "not ok ");
	put_dec(run);
	probe_puts(" - l4: ");
	probe_puts(what);
	probe_puts("\n");
	return ok;
}

int probe_eq(uint32_t got, uint32_t want, const char *what)
{
	int ok = got == want;

	run++;
	if (!ok)
		failed++;
	probe_puts(ok ? "ok " : "not ok ");
	put_dec(run);
	probe_puts(" - l4: ");
	probe_puts(what);
	probe_puts(" (");
	if (!ok) {
		probe_puts("got ");
		probe_put_hex(got);
		probe_puts(", want ");
	}
	probe_put_hex(want);
	probe_puts(")\n");
	return ok;
}

void probe_note(const char *what)
{
	probe_puts("# ");
	probe_puts(what);
	probe_puts("\n");
}

void probe_finish(void)
{
	probe_puts("1..");
	put_dec(run);
	probe_puts("\n");
	put_dec(run - failed);
	probe_puts(" passed, ");
	put_dec(failed);
	probe_puts(" failed\n");
	/* isa-debug-exit: QEMU exits with (value << 1) | 1 */
	__asm__ volatile("outb %0, %1" :: "a"((uint8_t)(failed || !run ? 0x11 : 0x10)), "Nd"((uint16_t)0xf4));
	for (;;)
		;
}
