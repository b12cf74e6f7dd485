/* SPDX-License-Identifier: MIT */
/*
 * Failures on request, so that the harness can show it catches them (see
 * harness-selftest.test): "guest.crash=triple" ends in a triple fault,
 * "guest.crash=hang" stops for good, "guest.crash=exception" raises an
 * exception nobody expects (the guest bails out itself). All strike after
 * some results and before the closing line. Without such a word this does
 * nothing.
 */
#ifndef GUEST_CRASH_H
#define GUEST_CRASH_H

void crash_on_request(const char *cmdline);

#endif
