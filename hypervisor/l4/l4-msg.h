/* SPDX-License-Identifier: MIT */
/*
 * IPC messages of the X.2 API: the tag in MR0, typed items, timeouts, and
 * the messages the kernel itself sends (page faults, exceptions) or sigma0
 * expects. A message is kept here as plain words (struct l4_msg), so that
 * encoding and decoding are pure functions the unit tests check word by
 * word; l4-syscall-ia32.c moves the words into the UTCB and back.
 *
 * MR0, the message tag: untyped word count u in bits 0..5, typed word
 * count t in bits 6..11, flags in bits 12..15 (on a received message bit
 * 15 is the error flag), label in bits 16..31.
 */
#ifndef PREVIRT_L4_MSG_H
#define PREVIRT_L4_MSG_H

#include "l4-word.h"

#define L4_MSG_MAX_MRS	64

struct l4_msg {
	l4_word_t mr[L4_MSG_MAX_MRS];	/* mr[0] is the tag */
};

#define L4_TAG_ERROR	(1u << 15)	/* flags: the IPC failed */

/*
 * After a failed IPC the thread's ErrorCode TCR holds the phase in bit 0
 * (1: receive) and the reason in bits 1..3 (1: timeout).
 */
#define L4_IPC_ERR_RECEIVE	1u
#define L4_IPC_ERR_TIMEOUT	(1u << 1)

l4_word_t l4_tag(unsigned int label, unsigned int untyped, unsigned int typed);
unsigned int l4_tag_label(l4_word_t tag);
unsigned int l4_tag_untyped(l4_word_t tag);
unsigned int l4_tag_typed(l4_word_t tag);
int l4_tag_failed(l4_word_t tag);

/* Labels of the kernel's own messages: negative numbers shifted left by 4. */
#define L4_LABEL(n)		((unsigned int)(((n) * 16) & 0xffff))
#define L4_LABEL_INTERRUPT	L4_LABEL(-1)
#define L4_LABEL_PAGEFAULT	L4_LABEL(-2)	/* low 4 bits: the access, rwx */
#define L4_LABEL_PREEMPTION	L4_LABEL(-3)
#define L4_LABEL_EXCEPTION	L4_LABEL(-5)	/* ia32 exceptions */
#define L4_LABEL_SIGMA0		L4_LABEL(-6)
#define L4_LABEL_IO_PAGEFAULT	L4_LABEL(-8)

/*
 * A map (or grant) item: two words, the send base (the receiver's offset
 * in its receive window, /1024, in bits 10..31) with the item type in bits
 * 1..3 (4 map, 5 grant) and the continuation bit C in bit 0; then the
 * fpage. Appending one makes the message carry 2 typed words.
 */
#define L4_ITEM_MAP	4u
#define L4_ITEM_GRANT	5u
void l4_map_item(l4_word_t out[2], l4_word_t fpage, l4_word_t snd_base, int grant);

/*
 * Acceptor (BR0): the receive window for map/grant items (an fpage, low
 * four bits cleared) and bit 0 for string items, which this backend never
 * accepts.
 */
static inline l4_word_t l4_acceptor(l4_word_t rcv_window)
{
	return rcv_window & ~0xfu;
}

/*
 * Time values (16 bits). A relative period is m * 2^e microseconds: m in
 * bits 0..9, e in bits 10..14, bit 15 clear. 0 is "never"; m = 0 with
 * e = 1 is "zero time" (do not block).
 */
#define L4_TIME_NEVER	0u
#define L4_TIME_ZERO	(1u << 10)
/* The shortest period not below us microseconds; never when it does not fit. */
unsigned int l4_time_period(uint64_t us);
/* The period's length in microseconds (never: UINT64_MAX). */
uint64_t l4_time_us(unsigned int time);
/* The timeouts word of an IPC: send timeout high half, receive low. */
static inline l4_word_t l4_timeouts(unsigned int snd, unsigned int rcv)
{
	return ((l4_word_t)snd << 16) | (rcv & 0xffffu);
}

/* A page fault as the kernel reports it to the pager. */
struct l4_pagefault {
	l4_word_t addr, ip;
	unsigned int access;	/* L4_FPAGE_R/W/X bits */
};
/* Decode msg as a page fault; 0, or -1 when it is not one. */
int l4_pagefault_decode(const struct l4_msg *msg, struct l4_pagefault *pf);
/* The pager's answer: map fpage (rights included) at the faulting spot. */
void l4_pagefault_reply(struct l4_msg *msg, l4_word_t fpage, l4_word_t snd_base);

/*
 * An ia32 exception message: label -5, 12 untyped words in this order
 * (MR1..MR12). The handler's reply carries the same 12 words back, and the
 * kernel resumes the thread with them.
 */
struct l4_exception {
	l4_word_t eip, eflags, vector, error;
	l4_word_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
};
#define L4_EXCEPTION_WORDS	12
int l4_exception_decode(const struct l4_msg *msg, struct l4_exception *exc);
/* The reply that resumes the thread with the registers in exc. */
void l4_exception_reply(struct l4_msg *msg, const struct l4_exception *exc);

/*
 * sigma0's protocol: ask for the page fpage (any page of size 2^s when the
 * base is all ones) with label -6; the reply maps it.
 */
void l4_sigma0_request(struct l4_msg *msg, l4_word_t fpage);

/* The Unmap control word: k+1 fpages in MR0..MRk, flush also from the caller. */
static inline l4_word_t l4_unmap_control(unsigned int count, int flush)
{
	return ((count - 1) & 0x3fu) | (flush ? 0x40u : 0u);
}

#endif
