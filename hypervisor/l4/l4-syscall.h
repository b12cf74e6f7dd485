/* SPDX-License-Identifier: MIT */
/*
 * The X.2 ia32 system calls the backend uses, as C functions over the
 * register conventions of the ia32 binding:
 *   KernelInterface  "lock; nop": eax = KIP address, ecx = API version,
 *                    edx = API flags, esi = kernel id (no kernel entry)
 *   Ipc              call to KIP + the Ipc offset with eax = to,
 *                    edx = from specifier, ecx = timeouts, esi = MR0,
 *                    edi = UTCB; MR1.. from the UTCB. Returns eax = from,
 *                    esi = MR0, ebx = MR1, ebp = MR2, MR3.. in the UTCB
 *   Unmap            call to KIP + the Unmap offset with eax = control,
 *                    esi = MR0, edi = UTCB; fpages in MR0..MRk, their
 *                    access status written back
 * The UTCB address is the word at %gs:0, read once at start-up (the guest
 * may load %gs later; the backend keeps the pointer).
 *
 * ia32 only: these run inside the guest's L4 task. On anything else (or
 * natively) "lock; nop" raises #UD, so nothing calls them before previrt=l4
 * selected this backend.
 */
#ifndef PREVIRT_L4_SYSCALL_H
#define PREVIRT_L4_SYSCALL_H

#include "l4-kip.h"
#include "l4-msg.h"

struct l4_sys {
	const void *kip;		/* where the KIP is mapped */
	l4_word_t *utcb;		/* MR0 of this thread's UTCB */
	l4_word_t entry[L4_SYS_COUNT];	/* absolute entry addresses */
};

/* Locate the KIP and UTCB and resolve the entries; 0, or an l4_kip_error. */
int l4_sys_init(struct l4_sys *sys, struct l4_kip *kip);

/*
 * One IPC: send snd (when to is not nil) and receive into rcv (when from
 * is not nil) with the given timeouts word. Returns the received tag (or
 * the send's result tag), *sender = the partner.
 */
l4_word_t l4_sys_ipc(const struct l4_sys *sys, l4_word_t to, l4_word_t from,
		     l4_word_t timeouts, const struct l4_msg *snd, struct l4_msg *rcv,
		     l4_word_t *sender);

/* Unmap count fpages (flush: from this space too); status back in fpages. */
void l4_sys_unmap(const struct l4_sys *sys, l4_word_t *fpages, unsigned int count, int flush);

/*
 * The privileged calls the monitor (the root task) makes to build the
 * guest's task. ThreadControl: eax = dest, esi = space specifier,
 * edx = scheduler, ecx = pager, edi = UTCB location; SpaceControl:
 * eax = space specifier, ecx = control, edx = KIP area fpage, esi = UTCB
 * area fpage, edi = redirector. Both return eax = 1 on success, 0 with
 * the reason in the ErrorCode TCR.
 */
l4_word_t l4_sys_thread_control(const struct l4_sys *sys, l4_word_t dest, l4_word_t space,
				l4_word_t scheduler, l4_word_t pager, l4_word_t utcb);
l4_word_t l4_sys_space_control(const struct l4_sys *sys, l4_word_t space, l4_word_t control,
			       l4_word_t kip_area, l4_word_t utcb_area, l4_word_t redirector);

/*
 * ExchangeRegisters on a thread of this space: eax = dest, ecx = control,
 * edx = sp, esi = ip, edi = flags, ebx = user handle, ebp = pager; the
 * same registers come back with the thread's previous values.
 */
#define L4_EXREGS_HALT		(1u << 0)	/* the halt state to set (with SET_HALT) */
#define L4_EXREGS_ABORT_RECV	(1u << 1)
#define L4_EXREGS_ABORT_SEND	(1u << 2)
#define L4_EXREGS_SET_SP	(1u << 3)
#define L4_EXREGS_SET_IP	(1u << 4)
#define L4_EXREGS_SET_FLAGS	(1u << 5)
#define L4_EXREGS_SET_HALT	(1u << 8)
struct l4_exregs {
	l4_word_t control, sp, ip, flags;
};
/* In: what to set (control and values); out: the previous values. 0 on success. */
int l4_sys_exregs(const struct l4_sys *sys, l4_word_t dest, struct l4_exregs *r);

/*
 * Schedule: set dest's priority, every other control left as it is (~0).
 * eax dest, ecx priority, edx time, esi processor, edi preemption
 * control; the result (eax) is 0 on an error. Only dest's scheduler may.
 */
l4_word_t l4_sys_set_priority(const struct l4_sys *sys, l4_word_t dest, l4_word_t prio);

/* SystemClock: microseconds, edx:eax (ecx = the entry; esi, edi clobbered). */
uint64_t l4_sys_clock(const struct l4_sys *sys);

/* A thread control register of this thread's UTCB (negative word index). */
#define L4_TCR_PAGER		(-12)
#define L4_TCR_EXCEPTION_HANDLER (-11)
#define L4_TCR_ERROR_CODE	(-9)
#define L4_TCR_MY_GLOBAL_ID	(-15)
static inline l4_word_t l4_sys_tcr(const struct l4_sys *sys, int index)
{
	return sys->utcb[index];
}

/* Buffer register 0: the acceptor of the next receive (l4-msg.h). */
static inline void l4_sys_set_acceptor(const struct l4_sys *sys, l4_word_t acceptor)
{
	sys->utcb[-16] = acceptor;
}

#endif
