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

#define NOP1	0x90

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

static void put_rel32(unsigned char *out, long rel)
{
	out[0] = (unsigned char)rel;
	out[1] = (unsigned char)(rel >> 8);
	out[2] = (unsigned char)(rel >> 16);
	out[3] = (unsigned char)(rel >> 24);
}

/* rel32 from the end of an instruction at at+len to target, if it reaches. */
static int rel32(unsigned long at, unsigned int len, unsigned long target, long *rel)
{
	long r = (long)(target - (at + len));

	if (r != (long)(int)r)
		return -1;
	*rel = r;
	return 0;
}

static int xen_emit(const struct previrt_sled *sled, unsigned char *out)
{
	unsigned int n = sled->site->sled_len, i;
	unsigned long at = (unsigned long)sled->addr;
	long rel;

	switch (sled->site->klass) {
	case PREVIRT_CLASS_CLI:
		if (n < 7 || rel32(at, 7, (unsigned long)&xen_vcpu->evtchn_upcall_mask, &rel))
			return -1;
		out[0] = 0xc6;
		out[1] = 0x05;
		put_rel32(out + 2, rel);
		out[6] = 1;
		i = 7;
		break;
	case PREVIRT_CLASS_STI:
		if (n < 5 || rel32(at, 5, (unsigned long)xen_sti_stub, &rel))
			return -1;
		out[0] = 0xe8;
		put_rel32(out + 1, rel);
		i = 5;
		break;
	case PREVIRT_CLASS_PUSHF:
	case PREVIRT_CLASS_POPF: {
		/* the 64-bit forms only: what 64-bit kernels use */
		unsigned long stub = sled->site->klass == PREVIRT_CLASS_PUSHF ?
			(unsigned long)xen_pushf_stub : (unsigned long)xen_popf_stub;

		if (sled->insn->opsize != 8 || n < 5 || rel32(at, 5, stub, &rel))
			return -1;
		out[0] = 0xe8;
		put_rel32(out + 1, rel);
		i = 5;
		break;
	}
	case PREVIRT_CLASS_KRET: {
		/* 64-bit iretq and sysretq only: what a 64-bit kernel uses */
		unsigned long stub;

		if (sled->insn->op == PV_OP_IRET && sled->insn->opsize == 8)
			stub = (unsigned long)xen_iret_stub;
		else if (sled->insn->op == PV_OP_SYSRET && sled->insn->opsize == 8)
			stub = (unsigned long)xen_sysret_stub;
		else
			return -1;
		if (n < 5 || rel32(at, 5, stub, &rel))
			return -1;
		out[0] = 0xe9;			/* jmp: see xen-entry.S */
		put_rel32(out + 1, rel);
		i = 5;
		break;
	}
	case PREVIRT_CLASS_TSC:
		if (sled->insn->op == PV_OP_RDTSC) {
			/* Xen lets a PV kernel read the TSC: the instruction stays */
			out[0] = 0x0f;
			out[1] = 0x31;
			i = 2;
			break;
		}
		/* rdtscp: the TSC plus the guest's own TSC_AUX, from a stub */
		if (n < 5 || rel32(at, 5, (unsigned long)xen_rdtscp_stub, &rel))
			return -1;
		out[0] = 0xe8;
		put_rel32(out + 1, rel);
		i = 5;
		break;
	default:
		return -1;
	}
	for (; i < n; i++)
		out[i] = NOP1;
	return 0;
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
	.refusal_fatal = 1,	/* a refused sled would #GP, or be ignored at IOPL 1 */
};
