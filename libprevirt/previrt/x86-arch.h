/* SPDX-License-Identifier: MIT */
/*
 * x86 architectural constants, each defined once: EFLAGS bits and the
 * masks the virtual CPU applies to them, CR0/CR4 bits, MSR numbers,
 * exception vectors, gate and descriptor bits.  Values from the Intel SDM
 * vol. 3A (ch. 2, 6) and the AMD APM vol. 2 (ch. 3, 8).  Page-table entry
 * bits are not here: previrt/x86-paging.h holds those.
 *
 * Usable from C and from assembler (the asm stubs of the backends use the
 * same masks as the C emulation): in a .S file the constants carry no
 * integer suffix, and the C-only parts are guarded.  The PV_ prefix keeps
 * them apart from a kernel's own names (Linux's X86_EFLAGS_*, MSR_*) when
 * both headers are included.
 */
#ifndef PREVIRT_X86_ARCH_H
#define PREVIRT_X86_ARCH_H

#ifdef __ASSEMBLER__
#define PV_UL(x)	x
#else
#define PV_UL(x)	x##UL
#endif

/* ---- EFLAGS ---- */
#define PV_FL_CF	PV_UL(0x00000001)
#define PV_FL_FIXED	PV_UL(0x00000002)	/* bit 1 always reads as one */
#define PV_FL_PF	PV_UL(0x00000004)
#define PV_FL_AF	PV_UL(0x00000010)
#define PV_FL_ZF	PV_UL(0x00000040)
#define PV_FL_SF	PV_UL(0x00000080)
#define PV_FL_TF	PV_UL(0x00000100)
#define PV_FL_IF	PV_UL(0x00000200)
#define PV_FL_DF	PV_UL(0x00000400)
#define PV_FL_OF	PV_UL(0x00000800)
#define PV_FL_IOPL	PV_UL(0x00003000)
#define PV_FL_NT	PV_UL(0x00004000)
#define PV_FL_RF	PV_UL(0x00010000)
#define PV_FL_VM	PV_UL(0x00020000)
#define PV_FL_AC	PV_UL(0x00040000)
#define PV_FL_VIF	PV_UL(0x00080000)
#define PV_FL_VIP	PV_UL(0x00100000)
#define PV_FL_ID	PV_UL(0x00200000)

/* The status flags: what arithmetic sets (0x8d5). */
#define PV_FL_ARITH	(PV_FL_CF | PV_FL_PF | PV_FL_AF | PV_FL_ZF | PV_FL_SF | PV_FL_OF)

/*
 * The one flags mask of the virtual CPU, for popf, iret to the guest's
 * kernel, and every asm stub that does either (vmm/cpu-flags.c):
 *
 *  PV_FL_VIRTUAL  held by the virtual CPU (struct previrt_vcpu if_flag,
 *                 ac_flag), never by the real flags: the real IF belongs
 *                 to the hypervisor, and a real AC would change what the
 *                 VMM's own accesses to user pages do;
 *  PV_FL_REAL     taken into the real flags, where the guest's code reads
 *                 them back with pushf and uses them (status flags, DF,
 *                 and ID, which CPUID detection on i386 toggles);
 *  everything else reads as zero and is dropped when written: IOPL (the
 *                 guest's I/O privilege is the VMM's emulation), TF (a
 *                 real TF would single-step the VMM's own code on the way
 *                 back to the guest: not modelled), NT (a real NT makes
 *                 the VMM's own iret a task return), RF, VM, VIF, VIP.
 */
#define PV_FL_VIRTUAL	(PV_FL_IF | PV_FL_AC)
#define PV_FL_REAL	(PV_FL_ARITH | PV_FL_DF | PV_FL_ID)

/*
 * What an iret or sysret to user mode may hand to the user's real flags:
 * user code runs natively, so it keeps the flags it may own (TF for a
 * debugger's single step, AC, ID, RF); the hypervisor checks IF and IOPL.
 * NT is left out here too: a real NT reaching a hypervisor's own return
 * path (sysenter does not clear it) would make its iret a task return.
 */
#define PV_FL_USER	(PV_FL_ARITH | PV_FL_TF | PV_FL_IF | PV_FL_DF | PV_FL_IOPL | \
			 PV_FL_RF | PV_FL_AC | PV_FL_ID)

/* ---- control registers ---- */
#define PV_CR0_PE	PV_UL(0x00000001)
#define PV_CR0_MP	PV_UL(0x00000002)
#define PV_CR0_EM	PV_UL(0x00000004)
#define PV_CR0_TS	PV_UL(0x00000008)
#define PV_CR0_ET	PV_UL(0x00000010)
#define PV_CR0_NE	PV_UL(0x00000020)
#define PV_CR0_WP	PV_UL(0x00010000)
#define PV_CR0_AM	PV_UL(0x00040000)
#define PV_CR0_PG	PV_UL(0x80000000)
/* lmsw writes only these (and cannot clear PE) */
#define PV_CR0_LMSW	(PV_CR0_PE | PV_CR0_MP | PV_CR0_EM | PV_CR0_TS)

#define PV_CR4_TSD		PV_UL(0x00000004)
#define PV_CR4_DE		PV_UL(0x00000008)
#define PV_CR4_PSE		PV_UL(0x00000010)
#define PV_CR4_PAE		PV_UL(0x00000020)
#define PV_CR4_PGE		PV_UL(0x00000080)
#define PV_CR4_OSFXSR		PV_UL(0x00000200)
#define PV_CR4_LA57		PV_UL(0x00001000)
#define PV_CR4_FSGSBASE		PV_UL(0x00010000)
#define PV_CR4_OSXSAVE		PV_UL(0x00040000)
#define PV_CR4_SMEP		PV_UL(0x00100000)
#define PV_CR4_SMAP		PV_UL(0x00200000)
#define PV_CR4_PKE		PV_UL(0x00400000)

/* ---- XCR0 (xsetbv/xgetbv index 0) ---- */
#define PV_XCR0_X87	PV_UL(0x1)	/* must always be set */
#define PV_XCR0_SSE	PV_UL(0x2)
#define PV_XCR0_AVX	PV_UL(0x4)	/* needs SSE */

/* ---- MSRs ---- */
#define PV_MSR_APIC_BASE	0x0000001b
#define PV_MSR_EFER		0xc0000080
#define PV_MSR_STAR		0xc0000081
#define PV_MSR_LSTAR		0xc0000082
#define PV_MSR_CSTAR		0xc0000083
#define PV_MSR_FMASK		0xc0000084
#define PV_MSR_FS_BASE		0xc0000100
#define PV_MSR_GS_BASE		0xc0000101
#define PV_MSR_KERNEL_GS_BASE	0xc0000102
#define PV_MSR_TSC_AUX		0xc0000103
#define PV_MSR_SYSENTER_CS	0x00000174
#define PV_MSR_SYSENTER_ESP	0x00000175
#define PV_MSR_SYSENTER_EIP	0x00000176

#define PV_EFER_SCE	PV_UL(0x001)
#define PV_EFER_LME	PV_UL(0x100)
#define PV_EFER_LMA	PV_UL(0x400)
#define PV_EFER_NXE	PV_UL(0x800)

#define PV_APIC_BASE_BSP	PV_UL(0x100)
#define PV_APIC_BASE_ENABLE	PV_UL(0x800)

/* ---- exception vectors ---- */
#define PV_VEC_DE	0	/* divide error */
#define PV_VEC_DB	1	/* debug */
#define PV_VEC_NMI	2
#define PV_VEC_BP	3	/* int3 */
#define PV_VEC_OF	4	/* into */
#define PV_VEC_BR	5	/* bound */
#define PV_VEC_UD	6	/* invalid opcode */
#define PV_VEC_NM	7	/* device not available */
#define PV_VEC_DF	8	/* double fault (error code, always 0) */
#define PV_VEC_TS	10	/* invalid TSS (error code) */
#define PV_VEC_NP	11	/* segment not present (error code) */
#define PV_VEC_SS	12	/* stack fault (error code) */
#define PV_VEC_GP	13	/* general protection (error code) */
#define PV_VEC_PF	14	/* page fault (error code) */
#define PV_VEC_MF	16	/* x87 error */
#define PV_VEC_AC	17	/* alignment check (error code, always 0) */
#define PV_VEC_MC	18	/* machine check */
#define PV_VEC_XM	19	/* SIMD floating point */
#define PV_VEC_VE	20	/* virtualisation exception (Intel): no error code */
#define PV_VEC_CP	21	/* control protection (error code) */
#define PV_VEC_HV	28	/* hypervisor injection (AMD): no error code */
#define PV_VEC_VC	29	/* VMM communication (AMD SEV-ES, error code) */
#define PV_VEC_SX	30	/* security exception (AMD, error code) */
/* The exception vectors the CPU reserves; external interrupts above. */
#define PV_VEC_EXCEPTIONS	32

/* ---- IDT gates and descriptors ---- */
#define PV_DESC_PRESENT		0x80	/* access byte: P */
#define PV_DESC_DPL_SHIFT	5
#define PV_DESC_S		0x10	/* access byte: code or data (not system) */
#define PV_GATE_TYPE_MASK	0x0f
#define PV_GATE_INTR		0x0e	/* 32-bit, or 64-bit in long mode */
#define PV_GATE_TRAP		0x0f
#define PV_GATE_TASK		0x05

/* Selectors: requested privilege in bits 0-1, table indicator in bit 2. */
#define PV_SEL_RPL	0x3
#define PV_SEL_TI	0x4

/* Error code of a #GP/#NP/#TS about an IDT entry: vector * 8 + IDT (2). */
#define PV_ERR_IDT	0x2

#endif /* PREVIRT_X86_ARCH_H */
