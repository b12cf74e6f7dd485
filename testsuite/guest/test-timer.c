/* SPDX-License-Identifier: MIT */
/*
 * A timer interrupt (LAPIC timer): while IF is clear it must stay pending
 * in the IRR and not be delivered; sti must deliver it once; with
 * interrupts on it must arrive in the middle of code that has no
 * sensitive instruction at all (a hypervisor cannot wait for the next
 * sled); and hlt (and mwait) with interrupts on must be woken by it.
 * "sti; hlt" and "sti; mwait" must keep sti's interrupt shadow: an
 * interrupt pending at the sti wakes the hlt itself, it is not taken in
 * between and then leaves the hlt waiting for the next one.
 */
#include "cpu.h"
#include "features.h"
#include "lapic.h"
#include "tap.h"
#include "tests.h"
#include "trap.h"

#define SPIN_LIMIT	100000000u
#define ONE_SHOT_COUNT	1000u	/* x16 bus clocks: microseconds */
#define PERIOD_COUNT	10000u
#define LONG_PERIOD	10000000u	/* x16: 160 ms at QEMU's 1 GHz bus */

static volatile uint64_t ticks, last_rflags;

static void on_timer(struct trap_frame *f)
{
	ticks++;
	last_rflags = f->rflags;
	lapic_eoi();
}

static void on_spurious(struct trap_frame *f)
{
	(void)f;			/* a spurious interrupt takes no EOI */
}

static int spin_until_ticks(void)
{
	for (unsigned i = 0; i < SPIN_LIMIT; i++)
		if (ticks)
			return 1;
	return 0;
}

static void masked_then_delivered(void)
{
	unsigned i;

	cpu_cli();
	ticks = 0;
	lapic_timer_start(ONE_SHOT_COUNT, 0);
	for (i = 0; i < SPIN_LIMIT && lapic_read(LAPIC_TIMER_CURRENT); i++)
		;
	tap_check(i < SPIN_LIMIT, "one-shot timer counts down to 0");
	for (i = 0; i < SPIN_LIMIT && !lapic_irr_pending(VEC_TIMER); i++)
		;
	tap_check(lapic_irr_pending(VEC_TIMER), "expired timer is pending in the IRR");
	tap_eq(ticks, 0, "with IF clear the interrupt is not delivered");
	cpu_sti();
	int arrived = spin_until_ticks();
	cpu_cli();
	tap_check(arrived, "sti delivers the pending interrupt");
	tap_eq(ticks, 1, "delivered exactly once");
	tap_eq(last_rflags & RFLAGS_IF, RFLAGS_IF, "interrupted context had IF set");
	tap_check(!lapic_irr_pending(VEC_TIMER), "IRR bit cleared by delivery");
}

static void delivered_asynchronously(void)
{
	cpu_cli();
	ticks = 0;
	last_rflags = 0;
	cpu_sti();
	/* the count starts with IF already set: not due at any sled of ours */
	lapic_timer_start(ONE_SHOT_COUNT, 0);
	int arrived = spin_until_ticks();	/* plain loads: no sled in the loop */
	cpu_cli();
	tap_check(arrived, "with IF set the interrupt arrives in a loop with no sensitive instruction");
	tap_eq(ticks, 1, "arrived exactly once");
	tap_eq(last_rflags & RFLAGS_IF, RFLAGS_IF, "the loop it interrupted had IF set");
}

static void hlt_wakeup(void)
{
	cpu_cli();
	ticks = 0;
	/*
	 * Periodic, because sti and hlt are two asm statements here: nothing
	 * promises that the hlt follows the sti directly, and an interrupt
	 * taken before hlt must not leave it waiting forever. Any later period
	 * wakes it. The pair in one statement is shadow_wakeup()'s case.
	 */
	lapic_timer_start(PERIOD_COUNT, 1);
	uint64_t before = cpu_rdtsc();
	cpu_sti();
	cpu_hlt();
	cpu_cli();
	uint64_t after = cpu_rdtsc();
	lapic_timer_stop();
	tap_check(ticks >= 1, "hlt with IF set returns after a timer interrupt (%llu ticks)",
		  (unsigned long long)ticks);
	tap_check(after > before, "time passed across hlt (%llu TSC cycles)",
		  (unsigned long long)(after - before));
	tap_eq(cpu_read_flags() & RFLAGS_IF, 0, "cli after hlt: IF clear again");
}

static volatile uint64_t monitored;

/*
 * The wake-up that sti's shadow guarantees. The one-shot interrupt is made
 * pending with IF clear, then the timer runs on with a long period, so that
 * a hlt whose wake-up was spent before it still ends (on the next period)
 * and the case fails instead of hanging: exactly one tick is the shadow
 * kept, two is the interrupt taken between sti and the wait.
 */
static void shadow_wakeup(const char *what, int use_mwait)
{
	unsigned i;

	cpu_cli();
	ticks = 0;
	lapic_timer_start(ONE_SHOT_COUNT, 0);
	for (i = 0; i < SPIN_LIMIT && !lapic_irr_pending(VEC_TIMER); i++)
		;
	tap_check(lapic_irr_pending(VEC_TIMER), "%s: timer interrupt pending before the sti", what);
	lapic_timer_start(LONG_PERIOD, 1);	/* the IRR bit stays: only a later wake-up */
	if (use_mwait) {
		cpu_monitor(&monitored);
		cpu_sti_mwait();
	} else {
		cpu_safe_halt();
	}
	cpu_cli();
	lapic_timer_stop();
	tap_eq(ticks, 1, "%s: the pending interrupt ends the wait itself (shadow kept)", what);
}

static void shadow_wakeups(void)
{
	shadow_wakeup("sti; hlt", 0);
	if (!cpu_has_monitor()) {
		tap_skip("no MONITOR in cpuid", "sti; mwait: the pending interrupt ends the wait itself");
		return;
	}
	shadow_wakeup("sti; mwait", 1);
}

static void mwait_wakeup(void)
{
	if (!cpu_has_monitor()) {
		tap_skip("no MONITOR in cpuid", "mwait woken by the timer");
		return;
	}
	cpu_cli();
	ticks = 0;
	lapic_timer_start(PERIOD_COUNT, 1);	/* periodic: see hlt_wakeup */
	cpu_monitor(&monitored);
	cpu_sti();
	cpu_mwait();
	cpu_cli();
	lapic_timer_stop();
	tap_check(ticks >= 1, "mwait with IF set returns after a timer interrupt (%llu ticks)",
		  (unsigned long long)ticks);
}

void test_timer(void)
{
	tap_case("timer");

	trap_set_irq_handler(VEC_TIMER, on_timer);
	trap_set_irq_handler(VEC_SPURIOUS, on_spurious);
	masked_then_delivered();
	delivered_asynchronously();
	hlt_wakeup();
	mwait_wakeup();
	shadow_wakeups();
}
