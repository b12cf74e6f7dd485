/* SPDX-License-Identifier: MIT */
/*
 * Leaving the machine with a verdict: a byte to QEMU's isa-debug-exit port
 * (-device isa-debug-exit,iobase=0xf4,iosize=0x04), which ends QEMU with
 * status (value << 1) | 1. The two values give distinct, odd statuses that a
 * crash (QEMU status 0 with -no-reboot) or a timeout cannot produce.
 */
#ifndef GUEST_EXIT_H
#define GUEST_EXIT_H

#define GUEST_EXIT_PORT		0xf4
#define GUEST_EXIT_PASS		0x10	/* QEMU exits 33 */
#define GUEST_EXIT_FAIL		0x11	/* QEMU exits 35 */

__attribute__((noreturn)) void guest_exit(int all_passed);

#endif
