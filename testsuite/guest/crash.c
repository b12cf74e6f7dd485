/* SPDX-License-Identifier: MIT */
/* Crashes on request, for the harness self-test (see crash.h). */
#include "cmdline.h"
#include "cpu.h"
#include "crash.h"
#include "tap.h"

void crash_on_request(const char *cmdline)
{
	if (cmdline_has(cmdline, "guest.crash", "triple")) {
		/* No IDT: the breakpoint cannot be delivered (#GP), nor can
		 * that (#DF), nor that: the CPU shuts down. */
		static const struct desc_ptr no_idt = { 0, 0 };

		tap_note("triple fault on request");
		cpu_lidt(&no_idt);
		__asm__ volatile("int3");
	}
	if (cmdline_has(cmdline, "guest.crash", "exception")) {
		tap_note("unexpected exception on request");
		__asm__ volatile("ud2");	/* nobody armed the catcher */
	}
	if (cmdline_has(cmdline, "guest.crash", "hang")) {
		tap_note("hang on request");
		for (;;) {
			cpu_cli();
			cpu_hlt();
		}
	}
}
