/* SPDX-License-Identifier: MIT */
/*
 * The 8259A pair of a PC: master at 0x20/0x21, slave at 0xa0/0xa1 on the
 * master's IR2.  Edge-triggered inputs, ICW1-4, OCW1-3 (masks, EOI of
 * every kind, rotation, set-priority, IRR/ISR read, poll, special mask
 * mode), auto-EOI, fully nested priority.
 *
 * Reset state, one for every backend, from the datasheet's definition of
 * what ICW1 does: IMR clear, IRR and ISR clear, IR0 highest and IR7
 * lowest priority, special mask mode off, reads of the command port give
 * the IRR.  Until the guest has written a complete ICW sequence a chip
 * raises no interrupt (its vector base is not known yet).
 */
#ifndef PREVIRT_PIC8259_H
#define PREVIRT_PIC8259_H

#include <stdint.h>

struct previrt_vcpu;

struct previrt_pic_chip {
	uint8_t irr, isr, imr, lines;	/* lines: input levels, for edges */
	uint8_t base;			/* ICW2 vector base */
	uint8_t lowest;			/* the lowest-priority IR (rotation) */
	uint8_t init_step;		/* 0: ready; 2..4: the ICW expected next */
	uint8_t icw1, ready, auto_eoi, read_isr, special_mask, poll;
};

struct previrt_pic_ops {
	/* The pair's INT output changed to level (raise or drop the interrupt). */
	void (*int_changed)(struct previrt_vcpu *v, int level);
};

struct previrt_pic {
	struct previrt_pic_chip chip[2];	/* 0 master, 1 slave */
	const struct previrt_pic_ops *ops;
	struct previrt_vcpu *vcpu;
	int int_level;
};

void previrt_pic_reset(struct previrt_pic *p, const struct previrt_pic_ops *ops,
		       struct previrt_vcpu *v);
/* Input line irq (0..15) at level; a rising edge requests it. */
void previrt_pic_set_irq(struct previrt_pic *p, unsigned int irq, int level);
/* The INTA cycle: the vector of the highest request (now in service), or -1. */
int previrt_pic_acknowledge(struct previrt_pic *p);
/* Whether INT is asserted. */
int previrt_pic_pending(const struct previrt_pic *p);
/* Port access: port is 0x20, 0x21, 0xa0 or 0xa1. */
uint8_t previrt_pic_read(struct previrt_pic *p, unsigned int port);
void previrt_pic_write(struct previrt_pic *p, unsigned int port, uint8_t value);

#endif /* PREVIRT_PIC8259_H */
