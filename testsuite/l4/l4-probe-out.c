/* SPDX-License-Identifier: MIT */
/*
 * TAP on COM1, verdict through isa-debug-exit (l4-com1.h). Not through
 * the kernel debugger: the L4 build the guest needs has none (doc/l4.md).
 */
#include "l4-com1.h"
#include "l4-probe-out.h"

static unsigned int run, failed;

void probe_puts(const char *s)
{
	while (*s)
		l4_com1_putc(*s++);
}

void probe_put_hex(uint32_t v)
{
	probe_puts("0x");
	for (int i = 28; i >= 0; i -= 4)
		l4_com1_putc("0123456789abcdef"[(v >> i) & 0xf]);
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
		l4_com1_putc(d[n]);
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
	l4_debug_exit(failed || !run ? 0x11 : 0x10);
	for (;;)
		;
}
