/* SPDX-License-Identifier: MIT */
/*
 * The legacy 8259 pair. The firmware leaves them delivering on vectors that
 * long mode uses for exceptions (IRQ0 on vector 8), so they are moved to
 * VEC_PIC_BASE and fully masked before interrupts are ever enabled; the
 * timer case uses the LAPIC.
 */
#ifndef GUEST_PIC_H
#define GUEST_PIC_H

void pic_remap_and_mask(void);

#endif
