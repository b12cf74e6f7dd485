/* SPDX-License-Identifier: MIT */
/* Reprogramming and masking the legacy 8259 pair (see pic.h for why). */
#include "pic.h"
#include "io.h"
#include "trap.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define ICW1_INIT_ICW4	0x11	/* edge triggered, cascade, ICW4 follows */
#define ICW4_8086	0x01

void pic_remap_and_mask(void)
{
	outb(ICW1_INIT_ICW4, PIC1_CMD);
	outb(ICW1_INIT_ICW4, PIC2_CMD);
	outb(VEC_PIC_BASE, PIC1_DATA);		/* ICW2: vector base */
	outb(VEC_PIC_BASE + 8, PIC2_DATA);
	outb(0x04, PIC1_DATA);			/* ICW3: slave on IRQ2 */
	outb(0x02, PIC2_DATA);			/* ICW3: slave identity */
	outb(ICW4_8086, PIC1_DATA);
	outb(ICW4_8086, PIC2_DATA);
	outb(0xff, PIC1_DATA);			/* OCW1: mask every line */
	outb(0xff, PIC2_DATA);
}
