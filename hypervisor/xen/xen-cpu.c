// SPDX-License-Identifier: MIT
/*
 * The GENERIC handler of the Xen backend: every sled that is not filled
 * inline comes here through libprevirt's dispatcher.
 *
 * Most classes go to libprevirt's hypervisor-neutral virtual CPU
 * (previrt_vcpu_emulate), with the Xen primitives behind its hooks (port
 * I/O, device memory, idling, cpuid).  Segment loads and reads, far
 * transfers, lar/lsl/verr/verw and ltr go to libprevirt's emulation of the
 * guest's own GDT/LDT (previrt_vseg_emulate: the real selectors are
 * Xen's), whose faults are raised here.  What stays here is how Xen runs
 * what the guest sees: the FS/GS bases (the real ones are set with
 * HYPERVISOR_set_segment_base), the debug registers, the CR4 bits Xen must
 * know, and raising an exception in the guest where the hardware would.
 *
 * The guest's IF is the event mask.  While we emulate, events stay masked
 * (a virtual interrupt never lands in the middle of an emulation); on the
 * way out the mask follows the guest's IF, and if that unmasked a pending
 * event Xen is asked to deliver it now.
 */
#include "xen-vmm.h"

struct xen_vmm xen_vmm;

/* The pushf/popf stubs (xen-entry.S) address the virtual AC directly. */
_Static_assert(__builtin_offsetof(struct xen_vmm, cpu.ac_flag) == 4,
	       "XEN_VMM_AC_FLAG in xen-entry.S");

/* What the patched rdtscp reads (xen-entry.S): the guest's TSC_AUX. */
uint32_t xen_tsc_aux;

/* ---- operands ---- */

static void put_reg(struct previrt_regs *r, unsigned int n, unsigned int size, unsigned long v)
{
	unsigned long *p = previrt_reg(r, n);

	if (size >= 4)
		*p = size == 4 ? (v & 0xffffffffUL) : v;
	else
		*p = (*p & ~0xffffUL) | (v & 0xffff);
}

/* ---- segments ---- */

static void set_fs_base(unsigned long b)
{
	xen_vmm.cpu.fs_base = b;
	xen_hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_FS, b);
}

static void set_gs_base(unsigned long b)
{
	xen_vmm.cpu.gs_base = b;
	xen_hypercall2(__HYPERVISOR_set_segment_base, SEGBASE_GS_KERNEL, b);
}

/* A segment load changed the FS or GS base: the real one is Xen's to set. */
static void seg_base_changed(struct previrt_vseg *s, struct previrt_vcpu *v,
			     unsigned int sreg, unsigned long base)
{
	(void)s;
	(void)v;
	xen_hypercall2(__HYPERVISOR_set_segment_base,
		       sreg == PV_SEG_FS ? SEGBASE_FS : SEGBASE_GS_KERNEL, base);
}

/* ---- the hooks of the virtual CPU ---- */

static uint64_t mmio_read(struct previrt_vcpu *v, unsigned long addr, unsigned int size)
{
	uint64_t pa = xen_guest_translate(addr);

	(void)v;
	if ((pa & ~0xfffUL) == XEN_LAPIC_BASE)
		return xen_vlapic_read((unsigned int)(pa & 0xfff));
	return previrt_mem_read(addr, size);
}

static void mmio_write(struct previrt_vcpu *v, unsigned long addr, unsigned int size,
		       uint64_t val)
{
	uint64_t pa = xen_guest_translate(addr);

	(void)v;
	if ((pa & ~0xfffUL) == XEN_LAPIC_BASE) {
		xen_vlapic_write((unsigned int)(pa & 0xfff), (uint32_t)val);
		return;
	}
	previrt_mem_write(addr, size, val);
}

/*
 * hlt with IF set: block until an event.  Xen unmasks events itself for
 * the block, atomically with the check for a pending one, and delivers
 * what woke us on the way back: the guest's
 * interrupt handler runs (and its iretq returns) before we get here.
 */
static void idle(struct previrt_vcpu *v)
{
	struct xen_emulation *e = xen_emulating;

	if (!v->if_flag)
		return;		/* hlt with IF clear would hang forever: don't */
	if (xen_vlapic_pending())
		xen_vcpu->evtchn_upcall_pending = 1;
	/* the guest's interrupt handler runs in here: not the emulation */
	xen_emulating = 0;
	/*
	 * Masked on purpose: SCHEDOP_block enables event delivery and checks
	 * for a pending event in one step. Unmasking first would let an event
	 * arrive, and be handled, just before the block, which would then
	 * sleep with its wake-up spent ("sti; hlt" on bare hardware cannot).
	 */
	xen_sched_op(SCHEDOP_block, 0);
	xen_vcpu->evtchn_upcall_mask = 1;
	xen_emulating = e;
}

/*
 * Xen's view of cpuid for PV guests, through the forced-emulation prefix
 * (plain cpuid is not intercepted and shows the host).  The OS-enabled
 * bits then follow the guest's virtual CR4, as they follow CR4 natively.
 */
static void cpuid_hook(struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
		       uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	__asm__ volatile("ud2; .ascii \"xen\"; cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(subleaf));
	/* monitor/mwait and stac/clac are the VMM's; SMAP is xen-vtlb.c's */
	previrt_vcpu_cpuid_adjust(v, leaf, subleaf, a, b, c, d);
}

/* Xen's primitives for the virtual CPU (previrt/vmm.h). */
static const struct previrt_vmm_ops xen_ops = {
	.port_in = xen_port_in, .port_out = xen_port_out,
	.mmio_read = mmio_read, .mmio_write = mmio_write,
	.idle = idle, .cpuid = cpuid_hook,
};

void xen_cpu_init(void)
{
	struct previrt_vcpu *v = &xen_vmm.cpu;
	uint32_t a, b, c, d;

	v->ops = &xen_ops;
	/* What a 64-bit kernel finds after its own boot stub: long mode on. */
	v->cr0 = PV_CR0_PG | PV_CR0_ET | PV_CR0_PE;
	v->cr4 = PV_CR4_PAE;
	v->cpl = 0;
	previrt_vcpu_set_msr(v, PV_MSR_EFER, PV_EFER_LME | PV_EFER_LMA);
	cpuid_hook(v, 1, 0, &a, &b, &c, &d);
	previrt_vcpu_set_msr(v, PV_MSR_APIC_BASE, XEN_LAPIC_BASE | PV_APIC_BASE_ENABLE | PV_APIC_BASE_BSP);
	xen_vlapic_init(b >> 24);
	xen_vmm.seg.base_changed = seg_base_changed;
	xen_vmm.seg.cs = 0x08;	/* the selectors a boot stub leaves, see set_boot_state */
	xen_vmm.seg.ss = xen_vmm.seg.ds = xen_vmm.seg.es = 0x10;
}

/* ---- the handler ---- */

/* Raise vector at the sled (a fault: rip is the instruction's own). */
_Noreturn static void fault(struct previrt_regs *r, const struct previrt_site *site,
			    unsigned int vector, int has_error, unsigned long error)
{
	/* events stay masked (they are while emulating) until the handler runs */
	xen_emulating = xen_emulating->outer;
	r->ip = (unsigned long)previrt_site_sled(site);
	xen_inject(r, vector, has_error, error, xen_vmm.cpu.if_flag);
}

/* The virtual CPU's emulation; an exception it raises is raised at the sled. */
static int core(struct previrt_vcpu *v, struct previrt_regs *r, const struct pv_x86_insn *in,
		const struct previrt_site *site)
{
	int rc = previrt_vcpu_emulate(v, r, in, site);

	if (rc == PREVIRT_VCPU_FAULT)
		fault(r, site, v->fault.vector, v->fault.has_error, v->fault.error);
	return rc;
}

static int emulate(struct previrt_vcpu *v, struct previrt_regs *r, const struct pv_x86_insn *in,
		   const struct previrt_site *site)
{

	if (previrt_vseg_handles_op(in->op)) {
		struct previrt_vseg_fault f;
		int rc = previrt_vseg_emulate(v, &xen_vmm.seg, r, in, site, &f);

		if (rc == 1)
			fault(r, site, f.vector, f.has_error, f.error);
		return rc;
	}

	switch (in->op) {
	case PV_OP_WRMSR: {
		uint32_t idx = (uint32_t)r->cx;
		unsigned long val = (unsigned long)((uint64_t)(uint32_t)r->dx << 32 | (uint32_t)r->ax);

		if (idx == PV_MSR_FS_BASE)
			set_fs_base(val);
		else if (idx == PV_MSR_GS_BASE)
			set_gs_base(val);
		else if (idx == PV_MSR_KERNEL_GS_BASE)
			v->kernel_gs_base = val;
		else if (idx == PV_MSR_TSC_AUX)
			xen_tsc_aux = (uint32_t)val;
		return core(v, r, in, site);
	}
	case PV_OP_SWAPGS: {
		unsigned long g = v->gs_base;

		set_gs_base(v->kernel_gs_base);
		v->kernel_gs_base = g;
		return 0;
	}
	case PV_OP_RDFSBASE: case PV_OP_RDGSBASE:
		if (!(v->cr4 & PV_CR4_FSGSBASE))
			fault(r, site, PV_VEC_UD, 0, 0);
		put_reg(r, in->rm_reg, in->opsize,
			in->op == PV_OP_RDFSBASE ? v->fs_base : v->gs_base);
		return 0;
	case PV_OP_WRFSBASE: case PV_OP_WRGSBASE: {
		unsigned long val = *previrt_reg(r, in->rm_reg);

		if (!(v->cr4 & PV_CR4_FSGSBASE))
			fault(r, site, PV_VEC_UD, 0, 0);
		if (in->opsize == 4)
			val &= 0xffffffffUL;
		if (in->op == PV_OP_WRFSBASE)
			set_fs_base(val);
		else
			set_gs_base(val);
		return 0;
	}
	case PV_OP_MOV_TO_DR: {
		/*
		 * Breakpoints must really fire: Xen keeps the hardware debug
		 * registers for us (set_debugreg checks the addresses are
		 * ours and adjusts DR7's enables for ring 3).
		 */
		unsigned long val = *previrt_reg(r, in->rm_reg);
		unsigned int n = in->reg & 7;

		v->dr[n] = val;
		if (n != 4 && n != 5)
			xen_hypercall2(__HYPERVISOR_set_debugreg, n, val);
		return 0;
	}
	case PV_OP_MOV_FROM_DR: {
		unsigned int n = in->reg & 7;

		if (n == 6)
			v->dr[6] = (unsigned long)xen_hypercall1(__HYPERVISOR_get_debugreg, 6);
		put_reg(r, in->rm_reg, 8, v->dr[n]);
		return 0;
	}
	case PV_OP_MOV_TO_CR: {
		unsigned long old_cr0 = v->cr0;
		int rc = core(v, r, in, site);

		/* a new address space, or new write protection: drop the cache */
		if (in->reg == 3 || (in->reg == 0 && ((old_cr0 ^ v->cr0) & PV_CR0_WP)))
			xen_vtlb_flush_all();
		/*
		 * CR4.OSXSAVE and CR4.TSD must reach Xen's view of our CR4:
		 * they decide whether xsetbv (kept native, emulated by Xen)
		 * is allowed and whether rdtsc faults in user mode.
		 * A real mov to %cr4 traps into Xen's emulator, which takes
		 * the bits a PV kernel may control from it.
		 */
		if (in->reg == 4) {
			unsigned long real;

			__asm__ volatile("mov %%cr4, %0" : "=r"(real));
			real = (real & ~(PV_CR4_OSXSAVE | PV_CR4_TSD)) | (v->cr4 & (PV_CR4_OSXSAVE | PV_CR4_TSD));
			__asm__ volatile("mov %0, %%cr4" : : "r"(real) : "memory");
		}
		return rc;
	}
	case PV_OP_INVLPG: {
		int rc = core(v, r, in, site);

		xen_vtlb_invlpg(v->last_invlpg);
		return rc;
	}
	case PV_OP_VMX: case PV_OP_XSAVES: case PV_OP_XRSTORS:
		/* no VMX for a PV guest; xsaves state is not virtualised: #UD */
		fault(r, site, PV_VEC_UD, 0, 0);
	}
	return core(v, r, in, site);
}

/*
 * The emulation in progress, for faults the VMM takes on the guest's
 * behalf (a memory operand the guest's tables do not map): xen-traps.c
 * then raises them at the sled, from these registers, as the CPU would
 * have at the instruction.  A stack, for emulations that nest (an
 * interrupt handler of the guest may run, and emulate, while hlt waits:
 * idle() unmarks the emulation for that time, since guest code never runs
 * while one is marked).
 */
struct xen_emulation *xen_emulating;

int xen_handle(struct previrt_vcpu *v, struct previrt_regs *regs, const struct pv_x86_insn *insn,
	       const struct previrt_site *site)
{
	struct xen_emulation self = { .regs = regs, .site = site, .outer = xen_emulating };
	int ac = v->ac_flag;
	unsigned long cr4 = v->cr4;
	int rc;

	v->if_flag = !xen_vcpu->evtchn_upcall_mask;
	xen_vcpu->evtchn_upcall_mask = 1;
	/* the registers as they were at the instruction, for a fault */
	self.at_insn = *regs;
	self.at_insn.ip = (unsigned long)previrt_site_sled(site);
	self.if_flag = v->if_flag;
	xen_emulating = &self;
	rc = emulate(v, regs, insn, site);
	xen_emulating = self.outer;
	/* SMAP newly in force: user pages entered for the kernel must go */
	if ((ac && !v->ac_flag) || (~cr4 & v->cr4 & PV_CR4_SMAP))
		xen_vtlb_flush_user_pages();
	if (v->if_flag) {
		if (xen_vlapic_pending())
			xen_vcpu->evtchn_upcall_pending = 1;
		xen_vcpu->evtchn_upcall_mask = 0;
		__asm__ volatile("" ::: "memory");
		if (xen_vcpu->evtchn_upcall_pending)
			xen_force_upcall();
	}
	return rc;
}
