// SPDX-License-Identifier: MIT
/*
 * Delivery of an exception or interrupt onto a native frame: what the CPU
 * pushes when it enters a handler through an IDT gate, built on the
 * guest's stack by the VMM (SDM vol. 3A 6.12 and 6.14, APM vol. 2 8.7
 * and 8.9).  Backends differ only in where the interrupted state comes
 * from and how they continue at the handler.
 */
#include <previrt/vcpu.h>

/* A word of the frame: 8 bytes in 64-bit mode, 4 in 32-bit mode. */
static unsigned long push(unsigned long sp, unsigned int bits, unsigned long value)
{
	if (bits == 64) {
		sp -= 8;
		previrt_mem_write(sp, 8, value);
	} else {
		sp -= 4;
		previrt_mem_write(sp, 4, (uint32_t)value);
	}
	return sp;
}

unsigned long previrt_frame_push(struct previrt_vcpu *v, const struct previrt_frame *f,
				 const struct previrt_gate *g, int has_error, unsigned long error)
{
	int switched = f->stack != 0;
	unsigned long sp = switched ? f->stack : f->sp;

	if (f->bits == 64) {
		/* long mode: aligned, and ss:rsp always pushed */
		sp &= ~15UL;
		sp = push(sp, 64, f->ss);
		sp = push(sp, 64, f->sp);
	} else if (switched) {
		/* 32-bit: ss:esp only on a change of privilege (a new stack) */
		sp = push(sp, 32, f->ss);
		sp = push(sp, 32, f->sp);
	}
	sp = push(sp, f->bits, previrt_vcpu_flags_with(v, f->flags, f->if_on));
	sp = push(sp, f->bits, f->cs);
	sp = push(sp, f->bits, f->ip);
	if (has_error)
		sp = push(sp, f->bits, error);
	/* an interrupt gate clears IF; a trap gate leaves it as it was */
	v->if_flag = g->interrupt ? 0 : f->if_on;
	v->cpl = 0;
	return sp;
}
