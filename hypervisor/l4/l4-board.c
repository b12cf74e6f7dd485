/* SPDX-License-Identifier: MIT */
/* The guest threads' notes on the board (l4-board.h). */
#include "l4-backend.h"

/* Null until the monitor's start record says where it is: then no notes. */
struct l4_board *l4_board;

void l4_board_attach(const struct l4_start_info *si)
{
	l4_board = (struct l4_board *)((uintptr_t)si + L4_BOARD_OFFSET);
}

static struct l4_board_thread *entry(int vmm_thread)
{
	if (!l4_board)
		return 0;
	return vmm_thread ? &l4_board->vmm : &l4_board->vcpu;
}

void l4_board_wait(const struct l4_sys *sys, int vmm_thread, uint32_t wait, uint32_t timeout_us)
{
	struct l4_board_thread *t = entry(vmm_thread);

	if (!t)
		return;
	t->since_us = l4_sys_clock(sys);
	t->timeout_us = timeout_us;
	t->wait = wait;
}

void l4_board_done(int vmm_thread, uint32_t state)
{
	struct l4_board_thread *t = entry(vmm_thread);

	if (!t)
		return;
	t->wait = state;
	t->events++;
}
