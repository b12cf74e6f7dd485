/* SPDX-License-Identifier: MIT */
/*
 * The in-place VMM on L4 (X.2, ia32): libprevirt's hypervisor-neutral
 * virtual CPU (previrt/vcpu.h) with the L4 primitives behind its hooks.
 * That is the whole backend (DESIGN 4b): what differs from Xen is only how
 * each primitive is done.
 *
 *   primitive            on L4
 *   port I/O             a call to the monitor (l4-vmm-proto.h), which
 *                        runs the device models or passes ports through
 *   console, shutdown    calls to the monitor
 *   block (hlt, mwait)   a receive from the monitor with a timeout
 *   switch address space (mov to CR3): flush the guest's user half
 *                        [0, L4_VMM_KERNEL_BASE) with Unmap; the monitor,
 *                        as the task's pager, maps pages back on demand
 *                        from the guest's page tables (l4-vtlb.h)
 *   remove a mapping     (invlpg): flush that page's fpage with Unmap
 *
 * The guest's kernel half (the high window at L4_VMM_KERNEL_BASE and its
 * device mappings) is never flushed: the monitor maps it once and the
 * guest's kernel text, data and page tables stay where they are.
 */
#ifndef PREVIRT_L4_BACKEND_H
#define PREVIRT_L4_BACKEND_H

#include <previrt/backend.h>
#include <previrt/vcpu.h>
#include "l4-kip.h"
#include "l4-syscall.h"

#define L4_VMM_KERNEL_BASE	0x80000000u	/* previrt-guest32's GUEST_VIRT_BASE */
#define L4_VMM_IDLE_US		10000u		/* longest block without news */

struct l4_vmm {
	struct previrt_vcpu cpu;
	struct l4_sys sys;
	struct l4_kip kip;
	l4_word_t monitor;		/* our pager: the root task's thread */
	unsigned long monitor_errors;	/* calls the monitor did not answer well */
	unsigned long unmaps;		/* Unmap calls made for the virtual TLB */
};
extern struct l4_vmm l4_vmm;

/* The backend descriptor, handed to the runtime as an extra backend. */
extern const struct previrt_backend previrt_backend_l4;

/* The fpages that flush the guest's user half (for tests and the monitor). */
int l4_vmm_user_half(l4_word_t *fpages, unsigned int max);

#endif
