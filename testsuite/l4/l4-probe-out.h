/* SPDX-License-Identifier: MIT */
/*
 * Output and verdict of l4-probe, a root task with no drivers: text goes
 * through the kernel debugger's console (X.2 ia32 KDB protocol: int $3
 * followed by "cmpb $op, %al", op 0 = print the character in %al), which
 * Pistachio's KDB sends to COM1; the verdict is a byte to QEMU's
 * isa-debug-exit port 0xf4 (user threads run with IOPL 3 when the kernel
 * has no I/O flexpages, as in the build doc/l4.md describes).
 */
#ifndef TEST_L4_PROBE_OUT_H
#define TEST_L4_PROBE_OUT_H

#include <stdint.h>

void probe_puts(const char *s);
void probe_put_hex(uint32_t v);
/* One TAP line; returns ok. */
int probe_check(int ok, const char *what);
int probe_eq(uint32_t got, uint32_t want, const char *what);
void probe_note(const char *what);
/* Plan, closing line, exit status 33 (all passed) or 35; does not return. */
__attribute__((noreturn)) void probe_finish(void);

#endif
