// SPDX-License-Identifier: MIT
/*
 * The guest's local APIC on Xen: libprevirt's hypervisor-neutral model
 * (libprevirt/vlapic.c) with Xen's primitives behind its callbacks.
 *
 * The model's clock is Xen's system time; an expiry that raises an IRR
 * bit sets evtchn_upcall_pending, so that the guest's next unmask (sti,
 * popf, iretq) enters the upcall path and takes it; a reprogrammed timer
 * re-arms Xen's single-shot timer (xen-events.c), whose VIRQ_TIMER makes
 * sure an expiry is noticed while the guest is not looking.
 */
#include "xen-vmm.h"

static uint64_t xen_now(struct previrt_vlapic *a)
{
	(void)a;
	return xen_pv_system_time();
}

static void xen_timer_changed(struct previrt_vlapic *a)
{
	(void)a;
	xen_events_arm_timer();
}

static void xen_irr_raised(struct previrt_vlapic *a)
{
	(void)a;
	xen_vcpu->evtchn_upcall_pending = 1;
}

static struct previrt_vlapic lapic = {
	.now_ns = xen_now,
	.timer_changed = xen_timer_changed,
	.irr_raised = xen_irr_raised,
};

void xen_vlapic_init(uint32_t apic_id)
{
	previrt_vlapic_init(&lapic, apic_id);
}

uint32_t xen_vlapic_read(unsigned int off)
{
	return previrt_vlapic_read(&lapic, off);
}

void xen_vlapic_write(unsigned int off, uint32_t value)
{
	previrt_vlapic_write(&lapic, off, value);
}

void xen_vlapic_update(void)
{
	previrt_vlapic_update(&lapic);
}

uint64_t xen_vlapic_deadline(void)
{
	return previrt_vlapic_deadline(&lapic);
}

int xen_vlapic_pending(void)
{
	return previrt_vlapic_pending(&lapic);
}

int xen_vlapic_next_vector(void)
{
	return previrt_vlapic_next_vector(&lapic);
}
