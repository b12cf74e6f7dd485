/* SPDX-License-Identifier: MIT */
/* TAP lines, counts and the closing line (see tap.h for the format). */
#include <stdarg.h>
#include "tap.h"
#include "exit.h"
#include "print.h"

static const char *current_case = "?";
static unsigned tests_run, tests_failed, tests_skipped;

void tap_case(const char *name)
{
	current_case = name;
}

static int report(int ok, const char *fmt, va_list ap)
{
	tests_run++;
	if (!ok)
		tests_failed++;
	kprintf("%sok %u - %s: ", ok ? "" : "not ", tests_run, current_case);
	kvprintf(fmt, ap);
	return ok;
}

int tap_check(int ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(ok, fmt, ap);
	va_end(ap);
	kprintf("\n");
	return ok;
}

int tap_eq(uint64_t got, uint64_t want, const char *fmt, ...)
{
	va_list ap;
	int ok = got == want;

	va_start(ap, fmt);
	report(ok, fmt, ap);
	va_end(ap);
	if (ok)
		kprintf(" (0x%llx)\n", (unsigned long long)got);
	else
		kprintf(" (got 0x%llx, want 0x%llx)\n", (unsigned long long)got,
			(unsigned long long)want);
	return ok;
}

void tap_skip(const char *why, const char *fmt, ...)
{
	va_list ap;

	tests_run++;
	tests_skipped++;
	kprintf("ok %u - %s: ", tests_run, current_case);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf(" # SKIP %s\n", why);
}

void tap_note(const char *fmt, ...)
{
	va_list ap;

	kprintf("# ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
}

void tap_bail(const char *fmt, ...)
{
	va_list ap;

	/* A failed check first, so that the counts stay consistent. */
	va_start(ap, fmt);
	report(0, fmt, ap);
	va_end(ap);
	kprintf("\nBail out! %s: cannot go on\n", current_case);
	tap_finish();
}

void tap_finish(void)
{
	kprintf("1..%u\n", tests_run);
	kprintf("%u passed, %u failed\n", tests_run - tests_failed - tests_skipped, tests_failed);
	guest_exit(tests_failed == 0 && tests_run > tests_skipped);
}
