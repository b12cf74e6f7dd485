/* SPDX-License-Identifier: MIT */
/*
 * The guest's threads' board: where each of them stands, written by the
 * threads themselves, read by the monitor's watchdog.
 *
 * A lost wakeup leaves both guest threads blocked and silent: the harness
 * would only see a timeout. So each thread notes, before every wait, what
 * it waits for and since when (the L4 system clock), and counts what shows
 * the guest moving on (a message of the virtual CPU's, an interrupt
 * delivered, a call of the handler; a timeout alone is none); the monitor, which answers no one for a second at a time,
 * looks at the counters, and when none moved for L4_BOARD_WATCHDOG_US it
 * prints every thread's entry and ends the run as failed.
 *
 * The board lives at the end of the guest's last page, after the start
 * record and its command line (the monitor writes both and clears this).
 */
#ifndef PREVIRT_L4_BOARD_H
#define PREVIRT_L4_BOARD_H

#include "l4-word.h"

#define L4_BOARD_MAGIC		0x4c34b0a7u
#define L4_BOARD_SIZE		128u	/* bytes reserved at the end of the start page */
#define L4_BOARD_WATCHDOG_US	10000000u	/* no progress for this long: a hang */
#define L4_BOARD_NO_TIMEOUT	~0u

enum l4_board_wait {
	L4_WAIT_RUNNING = 0,		/* not blocked in a wait of ours */
	L4_WAIT_VCPU_MESSAGE,		/* VMM thread: the virtual CPU's next message */
	L4_WAIT_WAKEUP,			/* virtual CPU: the VMM thread's answer to its idle call */
	L4_WAIT_MONITOR,		/* either: the monitor's answer to a call */
	L4_WAIT_HANDLER,		/* virtual CPU: in the VMM's handler (not waiting) */
	L4_WAIT_GATE,			/* virtual CPU: left the handler for the gate */
	L4_WAIT_COUNT
};

struct l4_board_thread {
	uint32_t wait;			/* enum l4_board_wait */
	uint32_t timeout_us;		/* of that wait; L4_BOARD_NO_TIMEOUT: never */
	uint64_t since_us;		/* system clock when it began */
	uint32_t events;		/* progress: the guest's thread ran on (timeouts do not count) */
	uint32_t pad;
};

struct l4_board {
	uint32_t magic;
	uint32_t vcpu_idle;		/* the VMM thread holds the virtual CPU's idle call */
	uint64_t timer_due_us;		/* the virtual APIC timer's deadline, 0: stopped */
	struct l4_board_thread vcpu, vmm;
};

_Static_assert(sizeof(struct l4_board) <= L4_BOARD_SIZE, "the board fits its reserve");

/* Where the board is in the start page, from the page's start. */
#define L4_BOARD_OFFSET		(0x1000u - L4_BOARD_SIZE)

static inline const char *l4_board_wait_name(uint32_t wait)
{
	static const char *const names[L4_WAIT_COUNT] = {
		"running (no wait of ours)",
		"waits for the virtual CPU's next message",
		"waits for the VMM thread's wakeup (guest hlt/mwait)",
		"waits for the monitor's answer",
		"is in the VMM's handler",
		"left the handler for the gate (its #GP message to the VMM thread)",
	};

	return wait < L4_WAIT_COUNT ? names[wait] : "(a state this monitor does not know)";
}

#endif
