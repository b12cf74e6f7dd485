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
