// SPDX-License-Identifier: MIT
/*
 * Exceptions and virtual interrupts, delivered to the guest's own IDT.
 *
 * Xen bounces every exception of a PV kernel to the address its trap table
 * names, on the kernel's current stack, with a frame that is the CPU's
 * plus %rcx/%r11 (xen-entry.S pops those).  What is left to do so that
 * the guest's handler cannot tell it from bare metal:
 *
 *  - find the handler in the guest's IDT (its base is the virtual IDTR
 *    that the emulated lidt set) and honour the gate type: an interrupt
 *    gate clears IF, i.e. masks events;
 *  - show the guest its own cs/ss selectors and its own IF/IOPL/AC in
 *    the saved rflags, not Xen's ring-3 values;
 *  - for #PF, move the faulting address Xen left in vcpu_info into the
 *    virtual CR2 that the guest's "mov %cr2" reads.
 *
 * The guest returns with iretq, which is a sled: its stub (xen-entry.S,
 * xen-user.c) pops the frame and restores the virtual IF from it.
 *
 * Xen keeps the interrupted event mask in bits 32+ of the frame's cs slot;
 * only the low 16 bits are a selector, and we overwrite the whole slot.
 */
#include "xen-vmm.h"

#define FRAME_RIP	0
#define FRAME_CS	1
#define FRAME_RFLAGS	2
#define FRAME_RSP	3
#define FRAME_SS	4

unsigned long xen_guest_gate(unsigned int vector, int *interrupt_gate)
{
	struct previrt_gate g;

	if (previrt_idt_gate(&xen_vmm.cpu, vector, 64, &g))
		return 0;
	*interrupt_gate = g.interrupt;
	return g.handler;
}

_Noreturn static void no_handler(unsigned int vector, unsigned long error, unsigned long rip,
				 unsigned long rsp)
{
	xen_uart_flush();
	xen_console_puts("\nprevirt/xen: exception ");
	xen_console_hex(vector);
	xen_console_puts(" error ");
	xen_console_hex(error);
	xen_console_puts(" at rip ");
	xen_console_hex(rip);
	xen_console_puts(" rsp ");
	xen_console_hex(rsp);
	xen_console_puts(" cr2 ");
	xen_console_hex(xen_vcpu->arch.cr2);
	xen_console_puts(": the guest has no handler for it\n");
	xen_pv_exit_status(0x11);
}

unsigned long xen_trap_route(unsigned int vector, unsigned long *frame);

/*
 * Called by xen-entry.S with the native frame (error code first for the
 * vectors that push one: libprevirt's table, previrt_vector_has_error).
 * Returns the guest handler to continue at, or how to go straight back
 * to the interrupted code: bit 0, drop the error code; bit 1, to user mode.
 */
unsigned long xen_trap_route(unsigned int vector, unsigned long *frame)
{
	int has_error = vector < PV_VEC_EXCEPTIONS && previrt_vector_has_error(vector);
	unsigned long *f = frame + (has_error ? 1 : 0);
	/* Xen shows kernel-mode frames with RPL 0, user-mode ones with RPL 3 */
	int from_user = (f[FRAME_CS] & 3) == 3;
	int if_before = from_user || !xen_vcpu->evtchn_upcall_mask;
	unsigned long back = (has_error ? 1 : 0) | (from_user ? 2 : 0);
	int interrupt_gate = 1;
	unsigned long handler;

	xen_vcpu->evtchn_upcall_mask = 1;	/* the VMM itself runs with events off */
	if (from_user)
		xen_vmm.cpu.cpl = 0;		/* the CPU enters the kernel */
	if (vector == 256) {
		/*
		 * An upcall: Xen only makes one while events are unmasked,
		 * so the interrupted code had IF set.
		 */
		int v;

		xen_events_ack();
		v = xen_vlapic_next_vector();
		if (v < 0) {
			if (from_user)
				xen_vmm.cpu.cpl = 3;
			xen_vcpu->evtchn_upcall_mask = 0;
			return back;
		}
		vector = (unsigned int)v;
		if_before = 1;
	} else if (vector == PV_VEC_PF) {
		unsigned long va = xen_vcpu->arch.cr2;
		long r = xen_vtlb_fault(va, frame[0], from_user);

		if (r == -1) {
			/* a hidden fault: the access is retried, the guest never knows */
			if (from_user)
				xen_vmm.cpu.cpl = 3;
			xen_vcpu->evtchn_upcall_mask = (uint8_t)!if_before;
			return back;
		}
		if (r == -2)
			no_handler(vector, frame[0], f[FRAME_RIP], f[FRAME_RSP]);
		xen_vmm.cpu.cr2 = va;
		if (!from_user && xen_emulating) {
			/*
			 * The VMM faulted on the guest's behalf, emulating
			 * an instruction whose operand the guest's tables
			 * do not map (guest code never runs while an
			 * emulation is marked: see xen-cpu.c): the guest
			 * sees the fault at that instruction, with its
			 * registers from there.
			 */
			struct xen_emulation *e = xen_emulating;

			xen_emulating = e->outer;
			xen_inject(&e->at_insn, PV_VEC_PF, 1, (unsigned long)r, e->if_flag);
		}
		frame[0] = (unsigned long)r;
	}

	handler = xen_guest_gate(vector, &interrupt_gate);
	if (!handler)
		no_handler(vector, has_error ? frame[0] : 0, f[FRAME_RIP], f[FRAME_RSP]);
	f[FRAME_CS] = from_user ? xen_vmm.user_cs : xen_vmm.seg.cs;
	f[FRAME_SS] = from_user ? xen_vmm.user_ss : xen_vmm.seg.ss;
	f[FRAME_RFLAGS] = previrt_vcpu_flags_with(&xen_vmm.cpu, f[FRAME_RFLAGS], if_before);
	if (!interrupt_gate)
		xen_vcpu->evtchn_upcall_mask = (uint8_t)!if_before;
	return handler;
}

_Noreturn void xen_inject(const struct previrt_regs *regs, unsigned int vector,
			  int has_error, unsigned long error, int if_before)
{
	/* A copy first: the frame below may overwrite the dispatcher's. */
	struct previrt_regs r = *regs;
	struct previrt_gate g;
	struct previrt_frame f = { .bits = 64, .ip = r.ip, .sp = r.sp, .flags = r.flags,
				   .if_on = if_before, .cs = xen_vmm.seg.cs, .ss = xen_vmm.seg.ss };
	unsigned long *sp;

	if (previrt_idt_gate(&xen_vmm.cpu, vector, 64, &g))
		no_handler(vector, error, r.ip, r.sp);
	sp = (unsigned long *)previrt_frame_push(&xen_vmm.cpu, &f, &g, has_error, error);
	/* {flags, ip} for xen_regs_resume, as the dispatcher leaves them. */
	*--sp = g.handler;
	*--sp = r.flags;
	r.sp = (unsigned long)sp;
	/* the IF the gate leaves (an interrupt gate clears it) becomes the event mask */
	xen_regs_resume(&r, xen_vmm.cpu.if_flag);
}

void xen_gp_fallback(struct previrt_regs *r);

/*
 * #GP(0) from kernel mode, with every register (xen-entry.S): a
 * sensitive instruction no sled covers (code built without the plugin:
 * without I/O privilege cli, sti, in and out raise #GP, and so do hlt,
 * the CR and MSR accesses...; at IOPL 1 cli, sti, in and out do not
 * fault).  libprevirt's fallback decodes it and runs it through
 * xen_handle() as a sled; then on past it.  An exception the emulation
 * raises is injected from there; returns only when the fault is the
 * guest's own, with events as they were.
 */
void xen_gp_fallback(struct previrt_regs *r)
{
	struct pv_x86_insn insn;
	unsigned long *sp;

	/* the sled path: xen_handle() masks events, and leaves them as the guest's IF */
	if (previrt_fallback_emulate(&previrt_backend_xen, &xen_vmm.cpu, r, 64, &insn))
		return;
	/* {flags, ip} for xen_regs_resume, just below the interrupted stack */
	sp = (unsigned long *)r->sp;
	*--sp = r->ip;
	*--sp = r->flags;
	r->sp = (unsigned long)sp;
	xen_regs_resume(r, 0);
}

void xen_failsafe(void);

void xen_failsafe(void)
{
	xen_uart_flush();
	xen_console_puts("\nprevirt/xen: failsafe callback (bad segment on return)\n");
	xen_pv_exit_status(0x11);
}

int xen_traps_init(void)
{
	static struct trap_info table[33];
	struct callback_register cb;
	unsigned int i, n = 0;
	long rc;

	for (i = 0; i < 32; i++) {
		if (!xen_trap_stubs[i])
			continue;
		table[n].vector = (uint8_t)i;
		/* int3 and into are instructions the kernel (ring 3) may execute */
		table[n].flags = (i == PV_VEC_BP || i == PV_VEC_OF) ? 3 : 0;
		table[n].cs = FLAT_KERNEL_CS;
		table[n].address = xen_trap_stubs[i];
		n++;
	}
	table[n].address = 0;
	rc = xen_hypercall1(__HYPERVISOR_set_trap_table, table);
	if (rc)
		return (int)rc;

	cb.type = CALLBACKTYPE_event;
	cb.flags = CALLBACKF_mask_events;
	cb.address = (unsigned long)xen_event_entry;
	rc = xen_hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb);
	if (rc)
		return (int)rc;
	cb.type = CALLBACKTYPE_syscall;
	cb.flags = CALLBACKF_mask_events;
	cb.address = (unsigned long)xen_syscall_entry;
	rc = xen_hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb);
	if (rc)
		return (int)rc;
	cb.type = CALLBACKTYPE_failsafe;
	cb.flags = CALLBACKF_mask_events;
	cb.address = (unsigned long)xen_failsafe_entry;
	return (int)xen_hypercall2(__HYPERVISOR_callback_op, CALLBACKOP_register, &cb);
}
