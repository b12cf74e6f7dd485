/* SPDX-License-Identifier: MIT */
/*
 * The watchdog over the guest's threads (l4-board.h): when neither of
 * them made progress for L4_BOARD_WATCHDOG_US, say where each stands, as
 * its own notes have it, and end the run as failed, instead of leaving a
 * silent machine to the harness's time limit.
 */
#include "monitor.h"
#include "l4-board.h"

static const volatile struct l4_board *board;
static uint32_t last_events;
static uint64_t last_progress_us;

static void mon_dec(uint64_t v)
{
	char buf[21];
	unsigned int i = sizeof(buf) - 1;

	buf[i] = 0;
	do
		buf[--i] = (char)('0' + v % 10u);
	while ((v /= 10u) && i);
	mon_puts(&buf[i]);
}

void mon_watch_start(const void *b, uint64_t now_us)
{
	board = b;
	last_progress_us = now_us;
}

static void show(const char *who, uint32_t id, const volatile struct l4_board_thread *t,
		 uint64_t now_us)
{
	uint64_t since = t->since_us;

	mon_puts("previrt-l4-monitor: ");
	mon_puts(who);
	mon_puts(" ");
	mon_hex(id);
	mon_puts(" ");
	mon_puts(l4_board_wait_name(t->wait));
	mon_puts(", since ");
	mon_dec(since <= now_us ? (now_us - since) / 1000u : 0);
	mon_puts(" ms (its last wait began at ");
	mon_dec(since);
	mon_puts(" us, timeout ");
	if (t->timeout_us != L4_BOARD_NO_TIMEOUT)
		mon_dec(t->timeout_us), mon_puts(" us");
	else
		mon_puts("never");
	mon_puts("), ");
	mon_dec(t->events);
	mon_puts(" steps of progress counted\n");
}

void mon_watch(uint64_t now_us, uint32_t vcpu, uint32_t vmm)
{
	uint32_t events;

	if (!board || board->magic != L4_BOARD_MAGIC)
		return;		/* no VMM thread yet: nothing to watch */
	events = board->vcpu.events + board->vmm.events;
	if (events != last_events) {
		last_events = events;
		last_progress_us = now_us;
		return;
	}
	if (now_us - last_progress_us < L4_BOARD_WATCHDOG_US)
		return;
	mon_puts("\nprevirt-l4-monitor: hang: no thread of the guest made progress for ");
	mon_dec((now_us - last_progress_us) / 1000u);
	mon_puts(" ms; where they stand (their own notes, now ");
	mon_dec(now_us);
	mon_puts(" us):\n");
	show("virtual CPU", vcpu, &board->vcpu, now_us);
	show("VMM thread", vmm, &board->vmm, now_us);
	mon_puts("previrt-l4-monitor: the VMM thread ");
	mon_puts(board->vcpu_idle ? "holds" : "does not hold");
	mon_puts(" the virtual CPU's idle call; the virtual APIC timer is ");
	if (board->timer_due_us) {
		mon_puts("due at ");
		mon_dec(board->timer_due_us);
		mon_puts(" us\n");
	} else {
		mon_puts("stopped\n");
	}
	mon_fail("ending the hung guest", events);
}
