/* SPDX-License-Identifier: MIT */
/*
 * Hand this image's site table to libprevirt, once, before any case runs,
 * and report what it did: its own messages as TAP comments, its result as
 * checks. When a hypervisor entry (hypervisor/<name>/) already patched the
 * image before calling guest_main, the runtime is not started twice, but
 * what it did is judged the same way.
 */
#include <previrt/backend.h>
#include <previrt/reloc.h>
#include <previrt/runtime.h>
#include "cmdline.h"
#include "print.h"
#include "runtime-boot.h"
#include "serial.h"
#include "tap.h"

extern char __text_start[], __text_end[];
extern const struct previrt_backend previrt_backend_native_relocate;

static int at_line_start = 1;

/* The runtime's messages, each line turned into a TAP comment. */
static void runtime_write(const char *s, unsigned long n, void *ctx)
{
	(void)ctx;
	for (unsigned long i = 0; i < n; i++) {
		if (at_line_start)
			kprintf("# ");
		serial_putc(s[i]);
		at_line_start = s[i] == '\n';
	}
}

static void runtime_fatal(const char *why, void *ctx)
{
	(void)ctx;
	tap_bail("runtime: %s", why);
}

/* What the runtime did to the table, wherever it was started from. */
static void judge_stats(const struct previrt_stats *st, unsigned table)
{
	tap_eq(st->sites, table, "the runtime saw every record of the table");
	tap_eq(st->refused, 0, "no site refused");
	tap_eq(st->patched + st->kept, st->sites, "every site patched or kept");
	/* the relocating test mode rewrites every sled, or it proves nothing */
	if (previrt_current_backend() == &previrt_backend_native_relocate)
		tap_eq(st->patched, st->sites, "native-relocate: every site patched (%u stubs)",
		       previrt_reloc_stubs_used());
}

void runtime_boot(const char *cmdline)
{
	static struct previrt_env env;
	struct previrt_stats st;
	unsigned table = (unsigned)(__stop_previrt_sites - __start_previrt_sites);

	tap_case("runtime");
	if (previrt_current_backend()) {
		tap_note("runtime already started by the %s entry", previrt_current_backend()->name);
		judge_stats(previrt_boot_stats(), table);
	} else {
		env.write = runtime_write;
		env.fatal = runtime_fatal;
		env.text_lo = (unsigned long)__text_start;
		env.text_hi = (unsigned long)__text_end;
		int rc = previrt_boot(cmdline, &env, &st);
		at_line_start = 1;
		if (!tap_eq((uint64_t)(int64_t)rc, PREVIRT_OK, "previrt_boot accepts the command line"))
			tap_bail("the sleds are not patched for this platform");
		judge_stats(&st, table);
	}
	/*
	 * Without previrt= the entry picks the backend: a run that leaves it
	 * out says with guest.backend= which one it must have picked.
	 */
	const char *name = previrt_current_backend()->name;
	tap_check(cmdline_has(cmdline, "previrt", name) || cmdline_has(cmdline, "guest.backend", name),
		  "the backend is the one previrt= (or guest.backend=) names (%s)", name);
}
