/* SPDX-License-Identifier: MIT */
/*
 * previrt-l4-monitor: the root task that runs one pre-virtualized guest
 * on L4Ka::Pistachio (X.2, ia32). See doc/l4.md.
 *
 * It takes the guest image from the first boot module (its command line
 * is the guest's), gives the guest MONITOR_GUEST_MEM bytes of "physical"
 * memory out of sigma0's, loads the image there, and builds the guest's
 * L4 task with two threads: the virtual CPU and the in-place VMM thread
 * (hypervisor/l4/l4-vmm-thread.c), both paged by us. After that it only
 * answers: page faults in the guest's kernel window (a fixed linear
 * mapping of guest memory), the VMM's map requests (after its own walk of
 * the guest's page tables), port I/O (device models, monitor-ports.c),
 * console and shutdown.
 *
 * The monitor runs with I/O privilege (Pistachio built without I/O
 * fpages gives user threads IOPL 3), so its own output and the ports it
 * passes through go straight to the hardware.
 */
#ifndef PREVIRT_L4_MONITOR_H
#define PREVIRT_L4_MONITOR_H

#include <stdint.h>
#include "l4-word.h"

#define MONITOR_GUEST_MEM	(32u << 20)	/* guest-physical [0, 32 MiB) */
#define MONITOR_GUEST_BASE	0x80000000u	/* where the guest's kernel window starts */
#define MONITOR_KIP_AREA	0xbf000000u	/* in the guest's task, below its device window */
#define MONITOR_UTCB_AREA	0xbf100000u

/* monitor-out.c: text on COM1 (polled), and the end of the run. */
void mon_putc(char c);
void mon_puts(const char *s);
void mon_hex(uint32_t v);
void mon_write(const char *s, unsigned int n);
/* isa-debug-exit: QEMU exits with (status << 1) | 1. */
_Noreturn void mon_exit(unsigned int status);
_Noreturn void mon_fail(const char *what, uint32_t detail);

/* monitor-cmos.c: the CMOS/RTC, shared with the L4 kernel's timer */
uint32_t mon_cmos_in(unsigned int port);
void mon_cmos_out(unsigned int port, uint8_t value);

/*
 * monitor-watchdog.c: the guest threads' board (l4-board.h); mon_watch
 * ends the run when they made no progress for too long.
 */
void mon_watch_start(const void *board, uint64_t now_us);
void mon_watch(uint64_t now_us, uint32_t vcpu, uint32_t vmm);

/* monitor-ports.c */
uint32_t mon_port_in(unsigned int port, unsigned int size);
void mon_port_out(unsigned int port, unsigned int size, uint32_t value);

#endif
