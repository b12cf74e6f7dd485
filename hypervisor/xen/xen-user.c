// SPDX-License-Identifier: MIT
/*
 * User mode of the guest: the guest kernel drops to CPL 3 with sysretq or
 * iretq, its programs come back with syscall, exceptions and interrupts.
 *
 * A 64-bit PV kernel and its user programs both run in ring 3; Xen tells
 * them apart by a mode bit it flips on HYPERVISOR_iret to a frame whose cs
 * has RPL 3 (to user) and on every event, exception or syscall taken in
 * user mode (to kernel).  Each mode has its own page-table root.  So:
 *
 *  - the guest's sysretq/iretq sleds jump (not call: the stack may be the
 *    user's, which the kernel's real tables do not map) to stubs in
 *    xen-entry.S, which land in xen_kret_iret()/xen_kret_sysret() here;
 *    a return to CPL 0 stays in kernel mode, a return to CPL 3 becomes
 *    HYPERVISOR_iret after pointing Xen's kernel stack at the guest's
 *    TSS.RSP0 (HYPERVISOR_stack_switch), so that what comes back from
 *    user mode lands where the CPU would have put it;
 *  - user mode runs on a root of our own (MMUEXT_NEW_USER_BASEPTR) that the
 *    virtual TLB fills only with what the guest's tables allow at CPL 3
 *    (U set at every level): a supervisor page faults there as natively;
 *  - syscall from user mode arrives at Xen's syscall callback; we continue
 *    at the guest's LSTAR with the flags SFMASK leaves, as the CPU does;
 *  - user code reads its own cs and ss (mov from a segment register is
 *    unprivileged, and user code is not pre-virtualized): so the guest's
 *    user selectors are real ones, in a GDT page of ours handed to Xen
 *    with HYPERVISOR_set_gdt, holding copies of the guest's user code and
 *    data descriptors (the kernel keeps running on Xen's flat selectors).
 */
#include "xen-vmm.h"

unsigned long xen_user_root_mfn;

/* What the syscall stub jumps to (xen-entry.S reads these). */
unsigned long xen_syscall_target, xen_syscall_rsp;

int xen_user_init(void)
{
	struct mmuext_op op;
	unsigned long mfn = xen_vtlb_new_root();

	if (!mfn)
		return -1;
	op.cmd = MMUEXT_PIN_L4_TABLE;
	op.arg1.mfn = mfn;
	if (xen_hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0))
		return -2;
	op.cmd = MMUEXT_NEW_USER_BASEPTR;
	op.arg1.mfn = mfn;
	if (xen_hypercall5(__HYPERVISOR_mmuext_op, (unsigned long)&op, 1, 0, DOMID_SELF, 0))
		return -3;
	xen_user_root_mfn = mfn;
	return 0;
}

static uint64_t shadow_gdt[512] __attribute__((aligned(4096)));
static int shadow_gdt_loaded;

static unsigned long shadow_gdt_maddr(void)
{
	const unsigned long *p2m = (const unsigned long *)xen_start_info->mfn_list;

	return p2m[((unsigned long)shadow_gdt - XEN_PV_VIRT_BASE) >> 12] << 12;
}

/*
 * Make sel, a selector of the guest's GDT, a real one: copy its descriptor
 * into the shadow GDT (Xen checks it there).  0, or -1 when sel is not a
 * present code or data descriptor of the GDT.
 */
static int shadow_selector(unsigned int sel)
{
	const struct previrt_dtr *gdtr = &xen_vmm.cpu.gdtr;
	unsigned int idx = (sel & ~7u) / 8;
	uint64_t d;

	if ((sel & 4) || !idx || idx >= 512 || (sel & ~7u) + 7 > gdtr->limit)
		return -1;
	d = *(const volatile uint64_t *)(gdtr->base + (sel & ~7u));
	if (!((d >> 40) & PV_DESC_PRESENT) || !((d >> 40) & PV_DESC_S))
		return -1;
	if (!shadow_gdt_loaded) {
		shadow_gdt[idx] = d;
		return 0;
	}
	if (shadow_gdt[idx] == d)
		return 0;
	if (xen_hypercall2(__HYPERVISOR_update_descriptor, shadow_gdt_maddr() + idx * 8, d))
		return -1;
	return 0;
}

static int shadow_gdt_load(void)
{
	unsigned long frame = shadow_gdt_maddr() >> 12;

	if (shadow_gdt_loaded)
		return 0;
	/* a GDT page may have no writable mapping */
	if (xen_update_va_mapping((unsigned long)shadow_gdt, (uint64_t)frame << 12 | 1, UVMF_INVLPG))
		return -1;
	if (xen_hypercall2(__HYPERVISOR_set_gdt, &frame, 512))
		return -1;
	shadow_gdt_loaded = 1;
	return 0;
}

_Noreturn static void to_user(const struct previrt_regs *r, unsigned long rip,
			      unsigned long rflags, unsigned long rsp, unsigned int cs,
			      unsigned int ss)
{
	struct iret_context f;
	unsigned long rsp0 = previrt_tss_sp0(&xen_vmm.cpu, 64);

	if (!rsp0) {
		xen_uart_flush();
		xen_console_puts("\nprevirt/xen: to CPL 3 without a TSS.RSP0\n");
		xen_pv_exit_status(0x11);
	}
	xen_hypercall2(__HYPERVISOR_stack_switch, FLAT_KERNEL_SS, rsp0 & ~15UL);
	xen_vmm.cpu.cpl = 3;
	xen_vmm.user_cs = (uint16_t)cs;
	xen_vmm.user_ss = (uint16_t)ss;
	f.rax = r->ax;
	f.r11 = r->r11;
	f.rcx = r->cx;
	f.flags = 0;
	f.rip = rip;
	f.cs = FLAT_USER_CS;
	f.ss = FLAT_USER_SS;
	if (!shadow_selector(cs) && !shadow_selector(ss) && !shadow_gdt_load()) {
		f.cs = cs;
		f.ss = ss;
	}
	/* Xen unmasks events from IF; user mode never runs with IF clear */
	f.rflags = (rflags & PV_FL_USER) | PV_FL_IF;
	f.rsp = rsp;
	xen_iret_to_user(r, &f);
}

/*
 * Continue in kernel mode at r->ip with r->sp, with IF as if_on says; a
 * pending interrupt is taken first when IF is set, as after a real iretq.
 */
_Noreturn static void to_kernel(struct previrt_regs *r, int if_on)
{
	unsigned long *sp;

	if (if_on && (xen_vcpu->evtchn_upcall_pending || xen_vlapic_pending())) {
		int vec;

		xen_events_ack();
		vec = xen_vlapic_next_vector();
		if (vec >= 0)
			xen_inject(r, (unsigned int)vec, 0, 0, 1);
	}
	sp = (unsigned long *)r->sp;
	*--sp = r->ip;
	*--sp = r->flags;
	r->sp = (unsigned long)sp;
	xen_regs_resume(r, if_on);
}

void xen_kret_iret(struct previrt_regs *r);

/* iretq: libprevirt's iret (vmm/kret.c) says where to; the frame is on the guest's stack. */
void xen_kret_iret(struct previrt_regs *r)
{
	struct previrt_vcpu *v = &xen_vmm.cpu;
	struct previrt_kret k;

	/* an iretq sled is 64-bit by construction (xen_emit) */
	previrt_kret_iret(v, r->sp, 8, r->flags, &k);
	if (k.to_user)
		to_user(r, k.ip, k.flags, k.sp, k.cs, k.ss);
	xen_vmm.seg.cs = (uint16_t)k.cs;
	xen_vmm.seg.ss = (uint16_t)k.ss;
	r->flags = k.flags;
	r->ip = k.ip;
	r->sp = k.sp;
	to_kernel(r, v->if_flag);
}

void xen_kret_sysret(struct previrt_regs *r);

/* sysretq: rip from rcx, rflags from r11, selectors from STAR (vmm/kret.c). */
void xen_kret_sysret(struct previrt_regs *r)
{
	struct previrt_kret k;

	previrt_kret_sysret(&xen_vmm.cpu, r->cx, r->r11, 8, &k);
	to_user(r, k.ip, k.flags, r->sp, k.cs, k.ss);
}

void xen_syscall_c(unsigned long *frame);

/*
 * syscall from user mode: frame is Xen's, rcx/r11 already popped (they
 * hold the user rip and rflags, as syscall leaves them): rip, cs, rflags,
 * rsp, ss.  libprevirt's syscall (vmm/kret.c) sets the virtual CPU up as
 * the CPU would; tell the stub where to go.
 */
void xen_syscall_c(unsigned long *frame)
{
	struct previrt_kret k;

	previrt_kret_syscall(&xen_vmm.cpu, frame[0], frame[2], &k);
	xen_vmm.seg.cs = (uint16_t)k.cs;
	xen_vmm.seg.ss = (uint16_t)k.ss;
	xen_vcpu->evtchn_upcall_mask = (uint8_t)!xen_vmm.cpu.if_flag;
	xen_syscall_rsp = frame[3];
	xen_syscall_target = k.ip;
}
