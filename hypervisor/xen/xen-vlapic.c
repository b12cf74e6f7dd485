// SPDX-License-Identifier: MIT
/*
 * The guest's local APIC, as a device model behind its MMIO sites.
 *
 * Enough of the architecture for a kernel that uses the APIC timer and
 * reads its identity: ID, version, TPR, SVR, EOI, IRR/ISR, the timer's LVT,
 * initial/current count and divider; every other register reads back what
 * was written.  The timer runs on Xen's system time with a 1 GHz bus clock
 * (the rate QEMU's APIC model uses too), evaluated lazily: a read of the
 * current count or of the IRR folds in the time that passed, and a Xen
 * single-shot timer (xen-events.c) makes sure an expiry is noticed when
 * the guest is not looking.
 */
#include "xen-vmm.h"

#define REG_ID		0x020
#define REG_VERSION	0x030
#define REG_TPR		0x080
#define REG_EOI		0x0b0
#define REG_SVR		0x0f0
#define REG_ISR		0x100
#define REG_IRR		0x200
#define REG_LVT_TIMER	0x320
#define REG_TIMER_INIT	0x380
#define REG_TIMER_CUR	0x390
#define REG_TIMER_DIV	0x3e0

#define LVT_MASKED	0x10000u
#define LVT_PERIODIC	0x20000u

/* Version 0x14 (integrated APIC), six LVT entries (max LVT index 5). */
#define VERSION_VALUE	0x00050014u

static uint32_t regs[1024];	/* the 4 KiB page, one word per 32-bit register */
static uint64_t timer_start;	/* system time the current period started */
static uint64_t timer_period;	/* ns of one period (count x divisor), 0: stopped */
static int timer_armed;		/* an expiry is still to be raised */

static uint32_t *reg(unsigned int off)
{
	return &regs[(off & 0xff0) / 4];
}

static uint32_t divisor(void)
{
	uint32_t d = *reg(REG_TIMER_DIV);
	uint32_t v = (d & 3) | ((d & 8) >> 1);

	return v == 7 ? 1 : 2u << v;
}

static int bit(unsigned int base, unsigned int vector)
{
	return (*reg(base + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

static void set_bit_in(unsigned int base, unsigned int vector, int on)
{
	uint32_t *w = reg(base + 0x10 * (vector / 32));

	if (on)
		*w |= 1u << (vector % 32);
	else
		*w &= ~(1u << (vector % 32));
}

static int highest(unsigned int base)
{
	for (int v = 255; v >= 16; v--)
		if (bit(base, (unsigned int)v))
			return v;
	return -1;
}

void xen_vlapic_update(void)
{
	uint64_t now;

	if (!timer_armed || !timer_period)
		return;
	now = xen_pv_system_time();
	if (now < timer_start + timer_period)
		return;
	if (!(*reg(REG_LVT_TIMER) & LVT_MASKED)) {
		set_bit_in(REG_IRR, *reg(REG_LVT_TIMER) & 0xff, 1);
		/* so that the next unmask (sti, popf, iretq) takes it */
		xen_vcpu->evtchn_upcall_pending = 1;
	}
	if (*reg(REG_LVT_TIMER) & LVT_PERIODIC)
		timer_start += (now - timer_start) / timer_period * timer_period;
	else
		timer_armed = 0;
}

uint64_t xen_vlapic_deadline(void)
{
	return timer_armed && timer_period ? timer_start + timer_period : 0;
}

static uint32_t current_count(void)
{
	uint32_t init = *reg(REG_TIMER_INIT);
	uint64_t ticks;

	if (!timer_period || !init)
		return 0;
	xen_vlapic_update();
	ticks = (xen_pv_system_time() - timer_start) / divisor();
	if (!(*reg(REG_LVT_TIMER) & LVT_PERIODIC))
		return ticks >= init ? 0 : (uint32_t)(init - ticks);
	return (uint32_t)(init - ticks % init);
}

uint32_t xen_vlapic_read(unsigned int off)
{
	switch (off & 0xff0) {
	case REG_VERSION:
		return VERSION_VALUE;
	case REG_TIMER_CUR:
		return current_count();
	case REG_EOI:
		return 0;
	}
	if ((off & 0xf00) == REG_IRR)
		xen_vlapic_update();
	return *reg(off);
}

void xen_vlapic_write(unsigned int off, uint32_t value)
{
	switch (off & 0xff0) {
	case REG_VERSION: case REG_TIMER_CUR: case REG_ISR: case REG_IRR:
		return;			/* read-only */
	case REG_EOI: {
		int v = highest(REG_ISR);
		if (v >= 0)
			set_bit_in(REG_ISR, (unsigned int)v, 0);
		return;
	}
	case REG_TIMER_INIT:
		*reg(off) = value;
		timer_start = xen_pv_system_time();
		timer_period = (uint64_t)value * divisor();
		timer_armed = value != 0;
		xen_events_arm_timer();
		return;
	}
	if ((off & 0xf00) == REG_ISR || (off & 0xf00) == REG_IRR)
		return;
	*reg(off) = value;
	if ((off & 0xff0) == REG_LVT_TIMER)
		xen_events_arm_timer();
}

/* Whether an interrupt could be delivered now (IRR above ISR and TPR). */
static int deliverable(int irr)
{
	int isr = highest(REG_ISR);

	if (irr < 0 || (isr >= 0 && (isr >> 4) >= (irr >> 4)))
		return 0;
	return (irr >> 4) > (int)((*reg(REG_TPR) >> 4) & 0xf);
}

int xen_vlapic_pending(void)
{
	xen_vlapic_update();
	return deliverable(highest(REG_IRR));
}

int xen_vlapic_next_vector(void)
{
	int irr;

	xen_vlapic_update();
	irr = highest(REG_IRR);
	if (!deliverable(irr))
		return -1;
	set_bit_in(REG_IRR, (unsigned int)irr, 0);
	set_bit_in(REG_ISR, (unsigned int)irr, 1);
	return irr;
}

void xen_vlapic_init(uint32_t apic_id)
{
	*reg(REG_ID) = apic_id << 24;
	*reg(REG_SVR) = 0xff;
	*reg(REG_LVT_TIMER) = LVT_MASKED;
	*reg(REG_TIMER_DIV) = 0;
}
