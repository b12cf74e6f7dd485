/* SPDX-License-Identifier: MIT */
/*
 * The protocol between the in-place VMM inside the guest's L4 task and
 * its monitor (the root task that loaded the guest and is its pager and
 * exception handler). Our own, not part of X.2: positive labels, so that
 * they never collide with the kernel's negative ones (l4-msg.h).
 *
 * Each primitive the VMM needs and cannot do with a system call of its own
 * is one call (send and receive) to the monitor:
 *   console   MR1 byte count n (<= L4_VMM_CONSOLE_MAX), MR2.. the bytes,
 *             four to a word, first byte lowest
 *   port in   MR1 port, MR2 size (1, 2, 4); the reply's MR1 is the value
 *   port out  MR1 port, MR2 size, MR3 value
 *   shutdown  MR1 the guest's exit status (its isa-debug-exit byte)
 *   map       MR1 guest-physical page, MR2 virtual page in the guest's task,
 *             MR3 rights (L4_FPAGE_R/W/X); the reply is one map item of
 *             that guest page, sent to MR2, so the caller must accept it
 *             (acceptor with a receive window covering MR2). The VMM
 *             thread asks for this after walking the guest's page tables.
 * The monitor answers every call with label 0 and its untyped words; a
 * reply with the error flag or another label is a protocol error.
 */
#ifndef PREVIRT_L4_VMM_PROTO_H
#define PREVIRT_L4_VMM_PROTO_H

#include "l4-msg.h"

#define L4_VMM_CONSOLE		0x100u
#define L4_VMM_PORT_IN		0x101u
#define L4_VMM_PORT_OUT		0x102u
#define L4_VMM_SHUTDOWN		0x103u
#define L4_VMM_MAP		0x104u

/* Bytes per console call: MR2..MR63 of four bytes each. */
#define L4_VMM_CONSOLE_MAX	((L4_MSG_MAX_MRS - 2) * 4)

/* Encoders: fill msg (tag included); console returns the bytes taken. */
unsigned int l4_vmm_console(struct l4_msg *msg, const char *s, unsigned int n);
void l4_vmm_port_in(struct l4_msg *msg, unsigned int port, unsigned int size);
void l4_vmm_port_out(struct l4_msg *msg, unsigned int port, unsigned int size, uint32_t value);
void l4_vmm_shutdown(struct l4_msg *msg, unsigned int status);
void l4_vmm_map(struct l4_msg *msg, l4_word_t gpa, l4_word_t va, unsigned int rights);

/* The monitor's side: what a call asks for. */
struct l4_vmm_call {
	unsigned int op;		/* one of the labels above */
	unsigned int port, size;
	uint32_t value;			/* port out value, shutdown status */
	unsigned int n;			/* console byte count */
	l4_word_t gpa, va;		/* map: page-aligned */
	unsigned int rights;		/* map: L4_FPAGE_R/W/X, not 0 */
	char text[L4_VMM_CONSOLE_MAX];
};
/* Decode a call; 0, or -1 when malformed (unknown label, bad counts). */
int l4_vmm_decode(const struct l4_msg *msg, struct l4_vmm_call *call);

/* Replies: a plain acknowledgement, or the value a port read gave. */
void l4_vmm_reply(struct l4_msg *msg);
void l4_vmm_reply_value(struct l4_msg *msg, uint32_t value);
/* The value out of a reply to port in; -1 when the reply is not one. */
int l4_vmm_reply_decode(const struct l4_msg *msg, uint32_t *value);

#endif
