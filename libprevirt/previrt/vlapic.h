/* SPDX-License-Identifier: MIT */
/*
 * The guest's local APIC as a device model, hypervisor-neutral (DESIGN 4b):
 * the register page, the timer, IRR/ISR/TPR/EOI and the choice of the next
 * vector live here once; a backend maps its MMIO sites for the APIC page to
 * previrt_vlapic_read/write and supplies a clock, a way to be woken at the
 * next expiry and a way to note that an interrupt became pending.  Xen and
 * L4 differ only in those callbacks.
 *
 * Modelled: ID, version, TPR, SVR, EOI, ISR, IRR, the timer's LVT, initial
 * and current count, divide configuration.  Every other register reads
 * back what was written; version, current count and the whole of
 * 0x100-0x2ff (ISR, TMR, IRR, ESR) ignore writes.  The timer counts at a
 * 1 GHz bus clock (the rate QEMU's APIC model uses too), so one tick of
 * the divided clock lasts "divisor" ns.  It is evaluated lazily: a read of
 * the current count or of the IRR page, and the interrupt queries, fold in
 * the time that passed (update); the backend's own timer, armed at
 * previrt_vlapic_deadline(), makes sure an expiry is noticed while the
 * guest is not looking.
 *
 * Not reentrant: a backend calls it with its virtual interrupts masked.
 * Freestanding: no libc, and no 64-bit division (an i386 kernel may have
 * no libgcc to call).
 */
#ifndef PREVIRT_VLAPIC_H
#define PREVIRT_VLAPIC_H

#include <stdint.h>

/* Register offsets in the 4 KiB APIC page. */
#define PREVIRT_LAPIC_ID		0x020
#define PREVIRT_LAPIC_VERSION		0x030
#define PREVIRT_LAPIC_TPR		0x080
#define PREVIRT_LAPIC_EOI		0x0b0
#define PREVIRT_LAPIC_SVR		0x0f0
#define PREVIRT_LAPIC_ISR		0x100	/* 8 registers, 0x10 apart */
#define PREVIRT_LAPIC_TMR		0x180
#define PREVIRT_LAPIC_IRR		0x200
#define PREVIRT_LAPIC_LVT_TIMER		0x320
#define PREVIRT_LAPIC_TIMER_INIT	0x380
#define PREVIRT_LAPIC_TIMER_CUR		0x390
#define PREVIRT_LAPIC_TIMER_DIV		0x3e0

#define PREVIRT_LAPIC_LVT_MASKED	0x10000u
#define PREVIRT_LAPIC_LVT_PERIODIC	0x20000u

/* What the version register reads: integrated APIC (0x14), LVT entries 0..5. */
#define PREVIRT_LAPIC_VERSION_VALUE	0x00050014u

struct previrt_vlapic {
	uint32_t regs[1024];		/* the 4 KiB register page, a word per register */
	uint64_t timer_start, timer_period; /* ns; period 0: stopped */
	int timer_armed;		/* an expiry is still to be raised */

	/* Primitives the backend provides (set them before or after init). */
	/* Required: a monotonic clock in ns (Xen: system time). */
	uint64_t (*now_ns)(struct previrt_vlapic *a);
	/*
	 * May be NULL.  The guest reprogrammed the timer (initial count or
	 * LVT timer written): arm the backend's timer at
	 * previrt_vlapic_deadline(), or stop it when that is 0.  Not called
	 * when update() folds in an expiry: the backend's timer armed at the
	 * old deadline has then fallen due, and its handler calls update()
	 * and re-arms at the new deadline.
	 */
	void (*timer_changed)(struct previrt_vlapic *a);
	/*
	 * May be NULL.  The timer set an IRR bit: make sure the guest's next
	 * unmask (sti, popf, iret) looks for it (Xen: evtchn_upcall_pending).
	 */
	void (*irr_raised)(struct previrt_vlapic *a);
	void *opaque;
};

/*
 * Power-on state: every register 0 but the ID (apic_id in bits 24-31),
 * SVR 0xff and the timer's LVT masked; timer stopped.  Leaves the
 * callbacks and opaque as they are.
 */
void previrt_vlapic_init(struct previrt_vlapic *a, uint32_t apic_id);

/* A 32-bit access at offset off (0..0xfff; the low 4 bits are ignored). */
uint32_t previrt_vlapic_read(struct previrt_vlapic *a, unsigned int off);
void previrt_vlapic_write(struct previrt_vlapic *a, unsigned int off, uint32_t value);

/* Fold elapsed time into the timer: sets the IRR bit of an expiry that fell due. */
void previrt_vlapic_update(struct previrt_vlapic *a);

/* Absolute time (ns, now_ns's clock) of the next timer expiry, 0 if none. */
uint64_t previrt_vlapic_deadline(const struct previrt_vlapic *a);

/*
 * The highest-priority interrupt ready for delivery (IRR above the ISR's
 * and the TPR's priority class): moved from IRR to ISR and returned; or -1.
 */
int previrt_vlapic_next_vector(struct previrt_vlapic *a);

/* Whether an interrupt would be taken now if the guest's IF were set. */
int previrt_vlapic_pending(struct previrt_vlapic *a);

#endif /* PREVIRT_VLAPIC_H */
