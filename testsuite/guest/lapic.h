/* SPDX-License-Identifier: MIT */
/*
 * The local APIC, reached through MMIO (readl/writel: device sites). The
 * timer case uses its timer; the MMIO case its registers.
 */
#ifndef GUEST_LAPIC_H
#define GUEST_LAPIC_H

#include <stdint.h>

#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0b0
#define LAPIC_SVR		0x0f0
#define LAPIC_IRR		0x200	/* 8 registers, 0x10 apart, 32 vectors each */
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_TIMER_INITIAL	0x380
#define LAPIC_TIMER_CURRENT	0x390
#define LAPIC_TIMER_DIVIDE	0x3e0

#define LAPIC_SVR_ENABLE	(1u << 8)
#define LAPIC_LVT_MASKED	(1u << 16)
#define LAPIC_LVT_PERIODIC	(1u << 17)
#define LAPIC_DIVIDE_BY_16	0x3

/* Map the LAPIC (base from IA32_APIC_BASE) and software-enable it. */
void lapic_setup(void);
uint64_t lapic_phys_base(void);

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);
void lapic_eoi(void);

/* Start the timer on VEC_TIMER: one-shot, or periodic; count in bus clocks/16. */
void lapic_timer_start(uint32_t count, int periodic);
void lapic_timer_stop(void);

/* Whether vector is pending (requested, not yet delivered) in the IRR. */
int lapic_irr_pending(uint8_t vector);

#endif
