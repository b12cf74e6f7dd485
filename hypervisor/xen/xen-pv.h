/* SPDX-License-Identifier: MIT */
/*
 * The Xen backend's primitives: what every part of the in-place VMM (and
 * any small PV kernel, see testsuite/xen/) needs from Xen itself.  Each is
 * a thin wrapper over one hypercall or one field of the shared page; the
 * policy lives in the callers.
 */
#ifndef PREVIRT_XEN_PV_H
#define PREVIRT_XEN_PV_H

#include <stdint.h>
#include "xen-hypercall.h"

/*
 * Where a kernel linked for -mcmodel=kernel starts.  With the notes
 * VIRT_BASE = this and PADDR_OFFSET = 0, Xen's domain builder maps
 * pseudo-physical frame N at this + N * 4096 for the whole bootstrap
 * region, so "physical = virtual - base" holds there as it does natively.
 */
#define XEN_PV_VIRT_BASE	0xffffffff80000000UL

/* What the domain was started with, and the shared page once mapped. */
extern start_info_t *xen_start_info;
extern struct shared_info *xen_shared;
extern struct vcpu_info *xen_vcpu;

/*
 * First thing at boot: remember si and map the shared-info page (its
 * machine address is in si) over a page of our own, so that vcpu_info
 * and the event bitmaps become plain memory.  0 or a negative Xen error.
 */
int xen_pv_setup(start_info_t *si);

/* Console output through HYPERVISOR_console_io (dom0's console is Xen's). */
void xen_console_write_n(const char *s, unsigned long n);
void xen_console_puts(const char *s);
/* The same with a number, in hex: enough for boot diagnostics. */
void xen_console_hex(unsigned long v);

/*
 * Port I/O with I/O privilege: after PHYSDEVOP_set_iopl(1) a dom0's
 * in/out are emulated by Xen and reach the real (here: QEMU's) devices.
 */
int xen_pv_set_iopl(unsigned int iopl);
void xen_pv_outb(uint16_t port, uint8_t value);
uint8_t xen_pv_inb(uint16_t port);

/*
 * Leave the domain.  xen_pv_exit_status first writes status to QEMU's
 * isa-debug-exit port (QEMU then exits with status*2+1), and only when
 * nothing answers there shuts the domain down: SHUTDOWN_reboot for 0
 * (QEMU's -no-reboot turns that into exit status 0), SHUTDOWN_crash
 * otherwise.  Neither returns.
 */
#define XEN_PV_EXIT_PORT	0xf4
_Noreturn void xen_pv_shutdown(unsigned int reason);
_Noreturn void xen_pv_exit_status(unsigned int status);

/* System time in ns from vcpu_info's time record (version-checked). */
uint64_t xen_pv_system_time(void);

#endif /* PREVIRT_XEN_PV_H */
