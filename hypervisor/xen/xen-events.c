// SPDX-License-Identifier: MIT
/*
 * Event channels: Xen's interrupts, turned into the guest's.
 *
 * Only VIRQ_TIMER is bound: it wakes us when the virtual APIC timer falls
 * due (we ask for it with a single-shot timer at the APIC's next expiry;
 * Xen's default periodic tick is stopped).  Every upcall goes through
 * xen_trap_route() in xen-traps.c, which asks the virtual APIC for a
 * vector; this file only acknowledges the channels, so that Xen raises
 * the next upcall on the next event.
 */
#include "xen-vmm.h"

static uint32_t timer_port;

void xen_events_arm_timer(void)
{
	struct vcpu_set_singleshot_timer t;
	uint64_t deadline = xen_vlapic_deadline();

	if (!deadline) {
		xen_vcpu_op(VCPUOP_stop_singleshot_timer, 0, 0);
		return;
	}
	t.timeout_abs_ns = deadline;
	t.flags = 0;
	xen_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}

void xen_events_ack(void)
{
	unsigned long sel;

	xen_vcpu->evtchn_upcall_pending = 0;
	sel = __atomic_exchange_n(&xen_vcpu->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned int w = (unsigned int)__builtin_ctzl(sel);

		sel &= sel - 1;
		/* clear what we saw; the APIC model knows what fell due */
		__atomic_and_fetch(&xen_shared->evtchn_pending[w],
				   xen_shared->evtchn_mask[w], __ATOMIC_SEQ_CST);
	}
	/* a periodic APIC timer needs the next expiry asked for */
	xen_vlapic_update();
	xen_events_arm_timer();
}

int xen_events_init(void)
{
	struct evtchn_bind_virq bind = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_unmask unmask;
	long rc;

	xen_vcpu_op(VCPUOP_stop_periodic_timer, 0, 0);
	rc = xen_event_channel_op(EVTCHNOP_bind_virq, &bind);
	if (rc)
		return (int)rc;
	timer_port = bind.port;
	unmask.port = timer_port;
	__atomic_and_fetch(&xen_shared->evtchn_mask[timer_port / 64],
			   ~(1UL << (timer_port % 64)), __ATOMIC_SEQ_CST);
	return (int)xen_event_channel_op(EVTCHNOP_unmask, &unmask);
}
