/* SPDX-License-Identifier: MIT */
/*
 * Test Anything Protocol on the console. Every check is one "ok"/"not ok"
 * line named "<case>: <what>"; the run ends with the plan, then the plain
 * line "N passed, M failed" (skips are in neither number), then the exit port (exit.h) so that a harness
 * learns the verdict from QEMU's exit status as well.
 */
#ifndef GUEST_TAP_H
#define GUEST_TAP_H

#include <stdint.h>

/* Name the case that the following checks belong to. */
void tap_case(const char *name);

/* One check; returns ok so that a case can stop early on a failure. */
__attribute__((format(printf, 2, 3))) int tap_check(int ok, const char *fmt, ...);

/* A check of a value, printing both values when they differ. */
__attribute__((format(printf, 3, 4))) int tap_eq(uint64_t got, uint64_t want, const char *fmt, ...);

/*
 * A check that cannot run here (the CPU lacks the feature): reported as
 * "ok N - ... # SKIP why", counted neither passed nor failed.
 */
__attribute__((format(printf, 2, 3))) void tap_skip(const char *why, const char *fmt, ...);

/* A comment line ("# ..."): information, never a result. */
__attribute__((format(printf, 1, 2))) void tap_note(const char *fmt, ...);

/* Stop the run: the remaining cases cannot be trusted. Counts as a failure. */
__attribute__((noreturn, format(printf, 1, 2))) void tap_bail(const char *fmt, ...);

/* Print the plan and the closing line, then exit with the verdict. */
__attribute__((noreturn)) void tap_finish(void);

#endif
