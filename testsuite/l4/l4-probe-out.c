/* SPDX-License-Identifier: MIT */
/* TAP through the kernel debugger's console, verdict through isa-debug-exit. */
#include "l4-probe-out.h"

static unsigned int run, failed;

static void kdb_putc(char c)
{
	__asm__ volatile("int $3\n\tcmpb $0, %%al" :: "a"((uint32_t)(unsigned char)c) : "memory");
}

void probe_puts(const char *s)
{
	while (*s)
		kdb_putc(*s++);
}

void probe_put_hex(uint32_t v)
{
	probe_puts("0x");
	for (int i = 28; i >= 0; i -= 4)
		kdb_putc("0123456789abcdef"[(v >> i) & 0xf]);
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
		kdb_putc(d[n]);
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
