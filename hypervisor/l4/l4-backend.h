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
#include <previrt/vlapic.h>
#include <previrt/vseg.h>
#include "l4-board.h"
#include "l4-boot.h"
#include "l4-kip.h"
#include "l4-syscall.h"
#include "l4-watch.h"

#define L4_VMM_KERNEL_BASE	0x80000000u	/* previrt-guest32's GUEST_VIRT_BASE */
#define L4_VMM_IDLE_US		10000u		/* longest block without news */

struct l4_vmm {
	struct previrt_vcpu cpu;
	struct l4_sys sys;		/* the virtual CPU thread's system calls */
	struct l4_kip kip;
	l4_word_t monitor;		/* the root task's thread */
	unsigned long monitor_errors;	/* calls the monitor did not answer well */
	unsigned long unmaps;		/* Unmap calls made for the virtual TLB */
	/* Set when the guest was started by previrt-l4-monitor (l4-guest-start.c). */
	struct l4_start_info start;
	struct previrt_vlapic lapic;
	/* Guest-visible selectors: the real ones are the L4 kernel's flat ring-3 ones. */
	struct previrt_vseg seg;
	uint16_t kernel_cs, kernel_ss;	/* the guest's CPL 0 ones, while it is at CPL 3 */
	unsigned long guest_faults;	/* exceptions entered into the guest's IDT */
	unsigned long trapped;		/* sensitive instructions outside sleds, trapped and emulated */
	unsigned long async_interrupts;	/* virtual interrupts delivered outside the VMM */
	struct l4_watch watch;		/* the guest's write breakpoint */
	int test_drop_wakeup;		/* L4_TEST_DROP_WAKEUP on the command line */
};
/*
 * What the virtual CPU thread leaves for the VMM thread when it goes
 * through the gate (l4_gate_hlt: a hlt, #GP at CPL 3): things it cannot
 * finish from inside the guest's kernel window or its dispatcher's stack
 * budget. op and ip first: l4-sti.S addresses them (checked in
 * l4-backend.c).
 */
enum l4_gate_op {
	L4_GATE_NONE = 0,
	L4_GATE_EXCEPTION = 1,		/* raise vector/error at ip */
	L4_GATE_INTERRUPT = 2,		/* deliver a pending virtual interrupt at ip */
	L4_GATE_USER = 3,		/* enter the guest's CPL 3 at ip/sp */
	L4_GATE_UNPATCHED = 4,		/* emulate the port I/O at ip (the VMM thread's own use) */
};
struct l4_gate {
	uint32_t op;			/* enum l4_gate_op */
	l4_word_t ip, sp;
	unsigned int vector;
	l4_word_t error;
};
extern struct l4_gate l4_gate;
extern char l4_gate_hlt[];

/*
 * Nonzero while the virtual CPU thread is inside the VMM on the guest's
 * behalf: from the backend's handler until it returns, and while a gate
 * is set up and not yet taken by the VMM thread. The VMM thread delivers
 * a virtual interrupt asynchronously (l4-vmm-thread.c) only when it is 0:
 * then the guest is in its own code, or in the reentrant parts of the
 * dispatcher and the stubs, where a real interrupt could land too.
 */
extern volatile uint32_t l4_vmm_busy;

/*
 * The virtual CPU thread's note to the VMM thread that the APIC timer was
 * reprogrammed (a send with a zero timeout, never answered): the VMM
 * thread then waits for its messages only until the new deadline.
 */
#define L4_VCPU_TIMER_CHANGED	0x200u
/*
 * The guest idles (hlt/mwait with IF set): a call the VMM thread answers
 * when the virtual APIC timer is due, or L4_VMM_IDLE_US later. The VMM
 * thread keeps the only timed wait of the two threads (l4-vmm-thread.c).
 */
#define L4_VCPU_IDLE		0x201u

/*
 * Nonzero when an sti may have a virtual interrupt to deliver (the APIC
 * timer runs, or an IRR bit is set): l4-sti.S takes the slow way then.
 */
extern uint8_t l4_sti_slow;
void l4_sti_slow_update(void);
extern struct l4_vmm l4_vmm;

/* The backend descriptor, handed to the runtime as an extra backend. */
extern const struct previrt_backend previrt_backend_l4;

/* The fpages that flush the guest's user half (for tests and the monitor). */
int l4_vmm_user_half(l4_word_t *fpages, unsigned int max);

/* Unmap [start, end) from the guest's task (both threads share it). */
void l4_vmm_flush_range(const struct l4_sys *sys, l4_word_t start, l4_word_t end);

/* The L4 system clock in nanoseconds (the virtual APIC's time base). */
uint64_t l4_vmm_now_ns(struct previrt_vlapic *a);

/*
 * l4-inject.c: entering the guest's own IDT handlers as the CPU would.
 * ctx holds the interrupted state (real flags, the L4 kernel's); on
 * success it becomes the handler's and the virtual CPU is updated (CPL,
 * IF, guest_faults). soft: an "int n"/int3 from the guest, which needs a
 * gate DPL of at least the current CPL. Returns 0, or -1 when the guest
 * has no usable gate (the caller ends the run with a message).
 */
struct l4_guest_ctx {
	l4_word_t ip, sp, flags;
};
int l4_enter_guest(struct l4_guest_ctx *ctx, unsigned int vector, int has_error,
		   l4_word_t error, int soft);

/*
 * Port I/O through the monitor, from the thread whose system calls sys
 * makes: a read gives all ones when the monitor does not answer; a write
 * returns 0, or -1 then.
 */
/*
 * Test hook (guest-l4-hang.test): the VMM thread drops the guest's first
 * idle call, and the virtual CPU makes that call even when its timer is
 * already due, so that the hang never depends on how fast QEMU runs.
 */
#define L4_TEST_DROP_WAKEUP	"l4.test=drop-wakeup"
/* Whether the guest's command line has the word w (test hooks). */
int l4_cmdline_word(const struct l4_start_info *si, const char *w);

uint32_t l4_vmm_port_read(const struct l4_sys *sys, unsigned int port, unsigned int size);
int l4_vmm_port_write(const struct l4_sys *sys, unsigned int port, unsigned int size,
		      uint32_t value);

/* A message on the guest's console (through the monitor) and the end of the run. */
void l4_vmm_console_write(const struct l4_sys *sys, const char *s, unsigned long n);
void l4_vmm_console_puts(const struct l4_sys *sys, const char *s);
/* isa-debug-exit through the monitor: QEMU's status is (status << 1) | 1. */
_Noreturn void l4_vmm_exit(const struct l4_sys *sys, unsigned int status);
void l4_vmm_console_hex(const struct l4_sys *sys, l4_word_t v);
_Noreturn void l4_vmm_die(const struct l4_sys *sys, const char *why);

/* The threads' notes for the monitor's watchdog (l4-board.h, l4-board.c). */
extern struct l4_board *l4_board;
void l4_board_attach(const struct l4_start_info *si);
void l4_board_wait(const struct l4_sys *sys, int vmm_thread, uint32_t wait, uint32_t timeout_us);
void l4_board_done(int vmm_thread, uint32_t state);

#endif
