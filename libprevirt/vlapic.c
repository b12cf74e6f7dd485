// SPDX-License-Identifier: MIT
/*
 * The guest's local APIC as a device model (previrt/vlapic.h): registers,
 * the timer at a 1 GHz bus clock evaluated lazily, IRR/ISR/TPR/EOI and the
 * next deliverable vector.  Hypervisor-neutral: time, the wake-up at the
 * next expiry and the "interrupt pending" note are the backend's callbacks.
 *
 * Built into the i386 kernel archive too, whose users need not have
 * libgcc: the divisor is a power of two (a shift), and the two divisions
 * by guest-chosen counts go through previrt_div64() below instead of '/' and '%'
 * on uint64_t, which would call __udivdi3/__umoddi3 there.
 */
#include <previrt/vlapic.h>
#include <previrt/div64.h>

#define REG_ID		PREVIRT_LAPIC_ID
#define REG_VERSION	PREVIRT_LAPIC_VERSION
#define REG_TPR		PREVIRT_LAPIC_TPR
#define REG_EOI		PREVIRT_LAPIC_EOI
#define REG_SVR		PREVIRT_LAPIC_SVR
#define REG_ISR		PREVIRT_LAPIC_ISR
#define REG_IRR		PREVIRT_LAPIC_IRR
#define REG_LVT_TIMER	PREVIRT_LAPIC_LVT_TIMER
#define REG_TIMER_INIT	PREVIRT_LAPIC_TIMER_INIT
#define REG_TIMER_CUR	PREVIRT_LAPIC_TIMER_CUR
#define REG_TIMER_DIV	PREVIRT_LAPIC_TIMER_DIV

#define LVT_MASKED	PREVIRT_LAPIC_LVT_MASKED
#define LVT_PERIODIC	PREVIRT_LAPIC_LVT_PERIODIC


static uint32_t *reg(struct previrt_vlapic *a, unsigned int off)
{
	return &a->regs[(off & 0xff0) / 4];
}

/*
 * log2 of the timer's divisor.  The divide configuration register's bits
 * 0, 1 and 3 form a 3-bit code: 0..6 divide by 2..128, 7 by 1.
 */
static unsigned int divisor_shift(struct previrt_vlapic *a)
{
	uint32_t d = *reg(a, REG_TIMER_DIV);
	uint32_t v = (d & 3) | ((d & 8) >> 1);

	return v == 7 ? 0 : v + 1;
}

static int bit(struct previrt_vlapic *a, unsigned int base, unsigned int vector)
{
	return (*reg(a, base + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

static void set_bit_in(struct previrt_vlapic *a, unsigned int base, unsigned int vector, int on)
{
	uint32_t *w = reg(a, base + 0x10 * (vector / 32));

	if (on)
		*w |= 1u << (vector % 32);
	else
		*w &= ~(1u << (vector % 32));
}

/* Vectors 0-15 are reserved: an APIC never delivers them. */
static int highest(struct previrt_vlapic *a, unsigned int base)
{
	for (int v = 255; v >= 16; v--)
		if (bit(a, base, (unsigned int)v))
			return v;
	return -1;
}

void previrt_vlapic_update(struct previrt_vlapic *a)
{
	uint32_t lvt = *reg(a, REG_LVT_TIMER);
	uint64_t now, q, r;

	if (!a->timer_armed || !a->timer_period)
		return;
	now = a->now_ns(a);
	if (now < a->timer_start + a->timer_period)
		return;
	/* a masked timer still runs: only the interrupt is suppressed */
	if (!(lvt & LVT_MASKED)) {
		set_bit_in(a, REG_IRR, lvt & 0xff, 1);
		if (a->irr_raised)
			a->irr_raised(a);
	}
	if (lvt & LVT_PERIODIC) {
		/*
		 * Periods that passed unseen collapse into the one IRR bit,
		 * as on hardware; the next period starts on the grid the
		 * first one began, so the rate does not drift.
		 */
		q = previrt_div64(now - a->timer_start, a->timer_period, &r);
		a->timer_start += q * a->timer_period;
	} else {
		a->timer_armed = 0;
	}
}

uint64_t previrt_vlapic_deadline(const struct previrt_vlapic *a)
{
	return a->timer_armed && a->timer_period ? a->timer_start + a->timer_period : 0;
}

static uint32_t current_count(struct previrt_vlapic *a)
{
	uint32_t init = *reg(a, REG_TIMER_INIT);
	uint64_t ticks, r;

	if (!a->timer_period || !init)
		return 0;
	previrt_vlapic_update(a);
	ticks = (a->now_ns(a) - a->timer_start) >> divisor_shift(a);
	if (!(*reg(a, REG_LVT_TIMER) & LVT_PERIODIC))
		return ticks >= init ? 0 : (uint32_t)(init - ticks);
	previrt_div64(ticks, init, &r);
	return (uint32_t)(init - r);
}

uint32_t previrt_vlapic_read(struct previrt_vlapic *a, unsigned int off)
{
	switch (off & 0xff0) {
	case REG_VERSION:
		return PREVIRT_LAPIC_VERSION_VALUE;
	case REG_TIMER_CUR:
		return current_count(a);
	case REG_EOI:
		return 0;
	}
	/* the guest polls IRR to see the timer fire with interrupts off */
	if ((off & 0xf00) == REG_IRR)
		previrt_vlapic_update(a);
	return *reg(a, off);
}

static void timer_changed(struct previrt_vlapic *a)
{
	if (a->timer_changed)
		a->timer_changed(a);
}

void previrt_vlapic_write(struct previrt_vlapic *a, unsigned int off, uint32_t value)
{
	switch (off & 0xff0) {
	case REG_VERSION:
	case REG_TIMER_CUR:
		return;			/* read-only */
	case REG_EOI: {
		/* whatever is written, EOI ends the highest interrupt in service */
		int v = highest(a, REG_ISR);

		if (v >= 0)
			set_bit_in(a, REG_ISR, (unsigned int)v, 0);
		return;
	}
	case REG_TIMER_INIT:
		/* a write (re)starts the count; 0 stops the timer */
		*reg(a, off) = value;
		a->timer_start = a->now_ns(a);
		a->timer_period = (uint64_t)value << divisor_shift(a);
		a->timer_armed = value != 0;
		timer_changed(a);
		return;
	}
	if ((off & 0xf00) == REG_ISR || (off & 0xf00) == REG_IRR)
		return;			/* ISR, TMR, IRR: the model's own state */
	*reg(a, off) = value;
	if ((off & 0xff0) == REG_LVT_TIMER)
		timer_changed(a);	/* mode or mask: let the backend look again */
}

/*
 * Whether vector irr may be delivered now: its priority class (vector / 16)
 * must be above both the highest class in service and the TPR's class.
 */
static int deliverable(struct previrt_vlapic *a, int irr)
{
	int isr = highest(a, REG_ISR);

	if (irr < 0 || (isr >= 0 && (isr >> 4) >= (irr >> 4)))
		return 0;
	return (irr >> 4) > (int)((*reg(a, REG_TPR) >> 4) & 0xf);
}

int previrt_vlapic_pending(struct previrt_vlapic *a)
{
	previrt_vlapic_update(a);
	return deliverable(a, highest(a, REG_IRR));
}

int previrt_vlapic_next_vector(struct previrt_vlapic *a)
{
	int irr;

	previrt_vlapic_update(a);
	irr = highest(a, REG_IRR);
	if (!deliverable(a, irr))
		return -1;
	set_bit_in(a, REG_IRR, (unsigned int)irr, 0);
	set_bit_in(a, REG_ISR, (unsigned int)irr, 1);
	return irr;
}

void previrt_vlapic_init(struct previrt_vlapic *a, uint32_t apic_id)
{
	for (unsigned int i = 0; i < sizeof(a->regs) / sizeof(a->regs[0]); i++)
		a->regs[i] = 0;
	a->timer_start = 0;
	a->timer_period = 0;
	a->timer_armed = 0;
	*reg(a, REG_ID) = apic_id << 24;
	*reg(a, REG_SVR) = 0xff;
	*reg(a, REG_LVT_TIMER) = LVT_MASKED;
	*reg(a, REG_TIMER_DIV) = 0;
}
