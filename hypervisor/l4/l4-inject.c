/* SPDX-License-Identifier: MIT */
/*
 * Exceptions and interrupts delivered to the guest's own IDT (i386).
 *
 * The L4 kernel sends the guest's exceptions to the VMM thread and its
 * page faults to the VMM thread as pager; virtual interrupts arise inside
 * the VMM (the virtual local APIC). Each ends here: find the gate in the
 * IDT the guest loaded (the virtual IDTR), and build on the guest's stack
 * the frame the CPU would push: eflags, cs, eip (and the error code),
 * preceded by the interrupted ss:esp and taken on the stack the guest's
 * TSS names when the guest was at CPL 3. The gate, the frame and its
 * flags are libprevirt's (vmm/exception.c, vmm/frame.c); what is L4's is
 * where the state comes from (an exception message, the gate) and the
 * selectors the guest believes in (the real ones are the L4 kernel's).
 *
 * All of this runs while the guest's virtual CPU thread is stopped (in an
 * IPC to the VMM thread, or inside the dispatcher on its own behalf), so
 * the state it changes is never seen half-written.
 */
#include "l4-backend.h"

int l4_enter_guest(struct l4_guest_ctx *ctx, unsigned int vector, int has_error,
		   l4_word_t error, int soft)
{
	struct previrt_vcpu *v = &l4_vmm.cpu;
	struct previrt_gate g;
	int from_user = v->cpl == 3;
	struct previrt_frame f = { .bits = 32, .ip = ctx->ip, .sp = ctx->sp, .flags = ctx->flags,
				   .if_on = v->if_flag, .cs = l4_vmm.seg.cs, .ss = l4_vmm.seg.ss };

	if (previrt_idt_gate(v, vector, 32, &g))
		return -1;
	if (soft && g.dpl < v->cpl)
		return -1;	/* the caller raises #GP instead */
	if (from_user) {
		f.stack = previrt_tss_sp0(v, 32);
		if (!f.stack)
			return -1;
	}
	/* libprevirt's delivery (vmm/frame.c): the frame, CPL 0, IF as the gate says */
	ctx->sp = (l4_word_t)previrt_frame_push(v, &f, &g, has_error, error);
	ctx->ip = (l4_word_t)g.handler;
	if (from_user) {
		/* the CPU loads the kernel's selectors from the gate and the TSS */
		l4_vmm.seg.cs = l4_vmm.kernel_cs;
		l4_vmm.seg.ss = l4_vmm.kernel_ss;
	}
	l4_vmm.guest_faults++;
	return 0;
}
