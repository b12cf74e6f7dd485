/* SPDX-License-Identifier: MIT */
/* LAPIC registers and timer, through the readl/writel device accessors. */
#include "lapic.h"
#include "cpu.h"
#include "io.h"
#include "paging.h"
#include "trap.h"

#define APIC_BASE_ADDR_MASK	0x000ffffffffff000ull

static volatile uint8_t *lapic;

uint64_t lapic_phys_base(void)
{
	return cpu_rdmsr(MSR_APIC_BASE) & APIC_BASE_ADDR_MASK;
}

uint32_t lapic_read(uint32_t reg)
{
	return readl(lapic + reg);
}

void lapic_write(uint32_t reg, uint32_t value)
{
	writel(value, lapic + reg);
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_setup(void)
{
	lapic = map_device(lapic_phys_base());
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VEC_SPURIOUS);
}

void lapic_timer_start(uint32_t count, int periodic)
{
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_16);
	lapic_write(LAPIC_LVT_TIMER, (periodic ? LAPIC_LVT_PERIODIC : 0) | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, count);	/* writing the count starts it */
}

void lapic_timer_stop(void)
{
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INITIAL, 0);
}

int lapic_irr_pending(uint8_t vector)
{
	return (lapic_read(LAPIC_IRR + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}
