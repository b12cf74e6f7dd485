/* SPDX-License-Identifier: MIT */
/*
 * Data breakpoints (DR0-DR3 with DR7) without the debug registers: an L4
 * task cannot set the real ones, so a write watchpoint becomes a page
 * without write access plus one single step.
 *
 * While a write breakpoint is enabled, the VMM maps the page holding it
 * read-only. A write to that page faults to the VMM thread, which maps
 * the page writable and sends the virtual CPU through l4_step_enter
 * ("popf; ret") with TF in the popped flags: the faulting store runs under
 * TF and the CPU reports #DB right after it, to the VMM thread again. If
 * the store touched the watched bytes, DR6 gets the breakpoint's B bit and
 * the guest takes #DB through its IDT at the next instruction, as from
 * the real debug registers; either way the page is write-protected again
 * and TF dropped through l4_step_leave ("pushf; and; popf; ret").
 *
 * TF is set and cleared by the guest thread's own popf, because the L4
 * kernel lets neither ExchangeRegisters nor an exception reply change it.
 * Handled: write breakpoints (R/W = 01) of lengths 1, 2, 4 (and 8) hit at
 * the guest's CPL 0 (the step runs on its kernel stack). Execution and I/O breakpoints, and read/write ones, are not
 * modelled: enabling one is reported on the console and ignored.
 */
#ifndef PREVIRT_L4_WATCH_H
#define PREVIRT_L4_WATCH_H

#include "l4-word.h"

struct l4_watch {
	int armed;
	unsigned int index;		/* which DRn */
	l4_word_t lo, hi;		/* the watched bytes [lo, hi] */
	/* the single step in progress, VMM thread only */
	enum { L4_STEP_NONE = 0, L4_STEP_ENTERING, L4_STEP_STORE, L4_STEP_LEAVING } step;
	l4_word_t fault_addr;		/* the write that faulted */
	l4_word_t store_ip;		/* the instruction that made it */
	int hit;			/* it touched the watched bytes: #DB to deliver */
};

/* l4-step.S */
extern char l4_step_enter[], l4_step_leave[], l4_step_leave_ret[];

/*
 * The first enabled write breakpoint of dr[0..3] under dr[7] into w
 * (armed, index, lo, hi; the step state is left alone). Returns 1 when
 * DR7 also enables breakpoints of a kind not modelled (ignored), else 0.
 */
int l4_watch_decode(struct l4_watch *w, const unsigned long dr[8]);
/* Whether the page at va must be mapped without write access. */
int l4_watch_page_protected(const struct l4_watch *w, l4_word_t va);

#endif
