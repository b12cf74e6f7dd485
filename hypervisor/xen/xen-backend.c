// SPDX-License-Identifier: MIT
/*
 * The Xen backend's descriptor: how each class of sled is filled.
 *
 * The interrupt flag is the hot path of every kernel, so cli and sti are
 * filled inline (DESIGN 5): cli becomes one store to vcpu_info,
 *
 *	c6 05 <rel32> 01	movb $1, evtchn_upcall_mask(%rip)
 *
 * (7 bytes, so it fits the 8-byte budget with a 1-byte NOP), and sti a
 * call to a short stub that clears the mask and has a pending event
 * delivered (xen-entry.S); pushfq and popfq call stubs that read and write
 * the mask and the virtual AC (16-bit pushf/popf are refused).  rdtsc stays (Xen lets a PV kernel read
 * the TSC, and Xen's time is TSC-based anyway); rdtscp calls a stub that
 * adds the guest's TSC_AUX.  iretq and sysretq jump to stubs that leave
 * for kernel or user mode (xen-user.c).  xsetbv is kept: Xen emulates it for PV
 * kernels, checks included, and it must reach the real XCR0 for xgetbv
 * (unprivileged, never a sled) to read it back.  Everything else goes
 * through the generic dispatcher to xen_handle().
 */
#include "xen-vmm.h"

static int xen_detect(const struct previrt_env *env)
{
	(void)env;
	return xen_start_info != 0;
}

static int xen_init(const struct previrt_env *env)
{
	(void)env;
	/* Only the PV entry (xen_pv_boot) can have set up what we need. */
	return xen_vcpu ? 0 : -1;
}

/* libprevirt's emitters (emit.c) write every sequence and its padding. */
static int xen_emit(const struct previrt_sled *sled, unsigned char *out)
{
	const struct pv_x86_insn *in = sled->insn;

	switch (sled->site->klass) {
	case PREVIRT_CLASS_CLI:
		return previrt_emit_store_byte(out, sled, &xen_vcpu->evtchn_upcall_mask, 1);
	case PREVIRT_CLASS_STI:
		return previrt_emit_call(out, sled, xen_sti_stub);
	case PREVIRT_CLASS_PUSHF:
	case PREVIRT_CLASS_POPF:
		/* the 64-bit forms only: what 64-bit kernels use */
		if (in->opsize != 8)
			return -1;
		return previrt_emit_call(out, sled, sled->site->klass == PREVIRT_CLASS_PUSHF ?
						     xen_pushf_stub : xen_popf_stub);
	case PREVIRT_CLASS_KRET:
		/* 64-bit iretq and sysretq only, by jmp: see xen-entry.S */
		if (in->op == PV_OP_IRET && in->opsize == 8)
			return previrt_emit_jmp(out, sled, xen_iret_stub);
		if (in->op == PV_OP_SYSRET && in->opsize == 8)
			return previrt_emit_jmp(out, sled, xen_sysret_stub);
		return -1;
	case PREVIRT_CLASS_TSC:
		if (in->op == PV_OP_RDTSC) {
			/* Xen lets a PV kernel read the TSC: the instruction stays */
			out[0] = 0x0f;
			out[1] = 0x31;
			previrt_emit_pad(out, sled, 2);
			return 0;
		}
		/* rdtscp: the TSC plus the guest's own TSC_AUX, from a stub */
		return previrt_emit_call(out, sled, xen_rdtscp_stub);
	}
	return -1;
}

#define G PREVIRT_FILL_GENERIC
const struct previrt_backend previrt_backend_xen = {
	.name = "xen",
	.detect = xen_detect,
	.init = xen_init,
	.fill = {
		[PREVIRT_CLASS_CLI] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_STI] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_PUSHF] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_POPF] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_HLT] = G, [PREVIRT_CLASS_PIO] = G,
		[PREVIRT_CLASS_MMIO] = G, [PREVIRT_CLASS_CR] = G,
		[PREVIRT_CLASS_DR] = G, [PREVIRT_CLASS_DESC_LOAD] = G,
		[PREVIRT_CLASS_DESC_STORE] = G, [PREVIRT_CLASS_SEG_READ] = G,
		[PREVIRT_CLASS_SEG_WRITE] = G, [PREVIRT_CLASS_FAR_XFER] = G,
		[PREVIRT_CLASS_SEG_CHECK] = G, [PREVIRT_CLASS_TLB] = G,
		[PREVIRT_CLASS_CACHE] = G, [PREVIRT_CLASS_MSR] = G,
		[PREVIRT_CLASS_PMC] = G, [PREVIRT_CLASS_TSC] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_CPUID] = G, [PREVIRT_CLASS_KRET] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_SWAPGS] = G, [PREVIRT_CLASS_FSGSBASE] = G,
		[PREVIRT_CLASS_XCR] = PREVIRT_FILL_KEEP, [PREVIRT_CLASS_XSAVES] = G,
		[PREVIRT_CLASS_MWAIT] = G, [PREVIRT_CLASS_SMAP] = G,
		[PREVIRT_CLASS_VMX] = G,
	},
	.emit = xen_emit,
	.handle = xen_handle,
	.vcpu = &xen_vmm.cpu,
	.refusal_fatal = 1,	/* a refused sled would #GP, or be ignored at IOPL 1 */
};
