/* SPDX-License-Identifier: MIT */
/*
 * The virtual CPU of the in-place VMM: the privileged state a kernel
 * believes it has, and the emulation of a decoded sensitive instruction
 * against it.  Hypervisor-neutral (DESIGN 4b): a backend routes its
 * GENERIC classes here and supplies only the primitives of
 * previrt/vmm.h (ports, device memory, idling); the same code serves the user-
 * space test backend, Xen and L4.
 *
 * The guest's memory is the VMM's memory (in place), so memory operands
 * are accessed directly at their effective address; %fs/%gs-relative
 * operands add the bases the backend keeps in fs_base/gs_base.
 */
#ifndef PREVIRT_VCPU_H
#define PREVIRT_VCPU_H

#include <stdint.h>
#include <previrt/backend.h>
#include <previrt/x86-arch.h>
#include <previrt/vmm.h>

#define PREVIRT_VCPU_MSRS	32

struct previrt_dtr {
	unsigned long base;
	unsigned short limit;
};

struct previrt_vcpu {
	int if_flag;			/* the guest's interrupt flag */
	int ac_flag;			/* stac/clac: the guest's EFLAGS.AC */
	unsigned int cpl;		/* privilege level the guest believes it has */
	unsigned long cr0, cr2, cr3, cr4, cr8;
	unsigned long dr[8];
	uint64_t xcr0;
	/* The XCR0 bits xsetbv accepts (cpuid 0xd.0); 0: x87, SSE and AVX. */
	uint64_t xcr0_supported;
	struct previrt_dtr gdtr, idtr;
	unsigned short ldtr, tr;
	unsigned long fs_base, gs_base, kernel_gs_base;
	int64_t tsc_offset;		/* added to the host's TSC */
	struct { uint32_t index; uint64_t value; } msr[PREVIRT_VCPU_MSRS];
	unsigned int nmsr;
	unsigned long monitor_addr;
	/* Event counts, for backends' statistics and for tests. */
	unsigned long halts, tlb_flushes, cache_flushes, emulated;
	unsigned long last_invlpg;
	/*
	 * The exception an emulation raised (previrt_vcpu_emulate returned
	 * PREVIRT_VCPU_FAULT): the backend raises it at the instruction.
	 */
	struct { unsigned int vector; int has_error; unsigned long error; } fault;
	/* The record of an instruction no sled covers (vmm/fallback.c). */
	struct previrt_site fallback_site;

	/* The backend's primitives (previrt/vmm.h); NULL: every default. */
	const struct previrt_vmm_ops *ops;
	void *opaque;
};

/*
 * Emulate insn (from site) on v with the registers in regs; regs->ip
 * already points past the sled.  Returns 0; PREVIRT_VCPU_FAULT when the
 * instruction faults as the CPU would make it (v->fault says how: xsetbv's
 * checks); or -1 for an instruction this
 * model does not emulate (far transfers, kernel returns, segment loads,
 * VMX...): the backend should then keep those classes native, refuse
 * them at patch time, or (segments, far transfers) route them to
 * previrt_vseg_emulate() (previrt/vseg.h).
 */
#define PREVIRT_VCPU_FAULT	1	/* raise v->fault at the instruction */
int previrt_vcpu_emulate(struct previrt_vcpu *v, struct previrt_regs *regs,
			 const struct pv_x86_insn *insn, const struct previrt_site *site);

/*
 * A plain memory access of 1, 2, 4 or 8 bytes at addr: what the virtual
 * CPU does for device memory without an mmio hook, and what a backend's
 * hook does for the addresses that are not its devices'.
 */
uint64_t previrt_mem_read(unsigned long addr, unsigned int size);
void previrt_mem_write(unsigned long addr, unsigned int size, uint64_t value);

/* MSR store of the model: 0 and *value, or -1 when never written. */
int previrt_vcpu_get_msr(const struct previrt_vcpu *v, uint32_t index, uint64_t *value);
int previrt_vcpu_set_msr(struct previrt_vcpu *v, uint32_t index, uint64_t value);

/*
 * ---- The VMM core (libprevirt/vmm/): one definition of each of these for
 * every backend. ----
 */

/*
 * Flags (vmm/cpu-flags.c), with the masks of previrt/x86-arch.h:
 * previrt_vcpu_flags() is what pushf shows: the PV_FL_REAL bits of the
 * real flags, the virtual IF and AC, bit 1 set, the rest zero;
 * previrt_vcpu_flags_with() the same with IF given (a backend whose IF is
 * elsewhere at that moment, e.g. Xen's event mask).
 * previrt_vcpu_load_flags() is popf of value (size 2, 4 or 8): IF and AC
 * into v (AC not for a 16-bit popf), and returns the new real flags,
 * real with the PV_FL_REAL bits of value.
 */
unsigned long previrt_vcpu_flags(const struct previrt_vcpu *v, unsigned long real);
unsigned long previrt_vcpu_flags_with(const struct previrt_vcpu *v, unsigned long real, int if_on);
unsigned long previrt_vcpu_load_flags(struct previrt_vcpu *v, unsigned long real,
				      unsigned long value, unsigned int size);

/* Whether the CPU pushes an error code for exception vector (vmm/exception.c). */
int previrt_vector_has_error(unsigned int vector);

/* A gate of the guest's IDT, as previrt_idt_gate() read it. */
struct previrt_gate {
	unsigned long handler;
	uint16_t sel;
	uint8_t type;		/* PV_GATE_INTR or PV_GATE_TRAP */
	uint8_t dpl;
	int interrupt;		/* an interrupt gate: clears IF */
};

/*
 * Gate vector of the IDT at v->idtr, in the layout of bits (64: 16-byte
 * gates; 32: 8-byte ones).  0, or -1 when it is outside the limit, not
 * present, or not a 32/64-bit interrupt or trap gate (task gates are not
 * modelled).
 */
int previrt_idt_gate(const struct previrt_vcpu *v, unsigned int vector, unsigned int bits,
		     struct previrt_gate *g);

/*
 * The stack pointer for CPL 0 in the guest's TSS (the one v->tr names in
 * the GDT at v->gdtr; 64: a long-mode TSS, RSP0; 32: ESP0), for an
 * exception or interrupt from user mode; 0 when there is no such TSS.
 */
unsigned long previrt_tss_sp0(const struct previrt_vcpu *v, unsigned int bits);

/* The interrupted state a native frame records (vmm/frame.c). */
struct previrt_frame {
	unsigned int bits;	/* 64 or 32: the frame's word size and rules */
	unsigned long ip, sp;	/* where the guest was interrupted */
	unsigned long flags;	/* the real flags there (PV_FL_REAL bits are used) */
	int if_on;		/* the guest's IF there */
	unsigned int cs, ss;	/* the guest-visible selectors there */
	/*
	 * 0: the frame goes on the interrupted stack (no change of
	 * privilege); else the new stack top (the TSS's RSP0/ESP0).
	 */
	unsigned long stack;
};

/*
 * Push the frame the CPU pushes entering g for an exception or interrupt
 * (64-bit: aligned to 16, ss, rsp, rflags, cs, rip; 32-bit: ss and esp
 * only with a new stack, then eflags, cs, eip; then the error code when
 * has_error), with the guest's flags (previrt_vcpu_flags_with).  Sets v
 * as the handler finds it: CPL 0, IF cleared by an interrupt gate, kept
 * by a trap gate.  Returns the new stack pointer.  The handler address is
 * g->handler; selectors are the backend's to load.
 */
unsigned long previrt_frame_push(struct previrt_vcpu *v, const struct previrt_frame *f,
				 const struct previrt_gate *g, int has_error, unsigned long error);

/* Where an iret, sysret or syscall goes (vmm/kret.c). */
struct previrt_kret {
	unsigned long ip, sp;	/* sp: 0 for sysret and syscall (unchanged) */
	unsigned long flags;	/* the real flags to continue with */
	unsigned int cs, ss;	/* ss 0: iret within the kernel in 32-bit mode */
	int to_user;		/* to a lower privilege (CPL 3): user mode */
	unsigned long popped;	/* bytes of the frame iret consumed */
};

/*
 * iret of operand size (4: iretd, 8: iretq) with its frame at sp, against
 * v at its CPL: within the kernel, the flags load as popf does
 * (previrt_vcpu_load_flags from real_flags); to user mode, k->flags are
 * the user's own (PV_FL_USER), v gets IF on, its AC and the new CPL.
 * 0, or -1 for a form not modelled (16-bit).
 */
int previrt_kret_iret(struct previrt_vcpu *v, unsigned long sp, unsigned int size,
		      unsigned long real_flags, struct previrt_kret *k);
/* sysret (size 8: sysretq): ip from rcx, flags from r11, selectors from STAR[63:48]. */
void previrt_kret_sysret(struct previrt_vcpu *v, unsigned long rcx, unsigned long r11,
			 unsigned int size, struct previrt_kret *k);
/* syscall from user mode: LSTAR, selectors from STAR[47:32], flags & ~FMASK. */
void previrt_kret_syscall(struct previrt_vcpu *v, unsigned long user_ip, unsigned long user_flags,
			  struct previrt_kret *k);

/* sysenter: selectors from SYSENTER_CS, eip/esp from the MSRs, IF, VM and RF cleared. */
void previrt_kret_sysenter(struct previrt_vcpu *v, unsigned long user_flags,
			   struct previrt_kret *k);
/*
 * sysexit (size 8: the REX.W form): eip from edx, esp from ecx, selectors
 * from SYSENTER_CS + 16/24 (+ 32/40); the flags are not changed (k->flags:
 * real_flags' user bits with the virtual IF).
 */
void previrt_kret_sysexit(struct previrt_vcpu *v, unsigned long rcx, unsigned long rdx,
			  unsigned int size, unsigned long real_flags, struct previrt_kret *k);

/*
 * The unpatched-instruction fallback (vmm/fallback.c): regs hold the
 * guest's registers at a fault whose regs->ip is the instruction (code of
 * bits 64 or 32).  When it is a sensitive instruction of the guest's
 * kernel that the virtual CPU emulates and that has no memory operand, it
 * goes through the sled path, b->handle() (or, b NULL, the virtual CPU
 * alone), with v->fallback_site describing it: that call's result, with
 * regs->ip past the instruction on 0 and at it otherwise.  -1 when it is
 * not one of those (insn as decoded, when it decoded): the fault is the
 * guest's to take.
 */
int previrt_fallback_emulate(const struct previrt_backend *b, struct previrt_vcpu *v,
			     struct previrt_regs *regs, unsigned int bits,
			     struct pv_x86_insn *insn);

/*
 * xsetbv's checks against v (vmm/xcr.c): 0 when XCR[index] may take
 * value, else the vector to raise (PV_VEC_UD without CR4.OSXSAVE,
 * PV_VEC_GP with error code 0 for a bad index or value).  supported: the
 * XCR0 bits the processor has (cpuid 0xd.0 edx:eax).
 */
int previrt_xsetbv_check(const struct previrt_vcpu *v, uint32_t index, uint64_t value,
			 uint64_t supported);

/*
 * For a backend's cpuid hook: the feature bits that describe the virtual
 * CPU rather than the host's. OSXSAVE (leaf 1 ecx 27) and OSPKE (leaf 7
 * ecx 4) follow the virtual CR4; MONITOR (leaf 1 ecx 3) and SMAP (leaf 7
 * ebx 20) are always shown, because monitor/mwait and stac/clac are
 * sensitive instructions the VMM emulates whatever the host has.
 */
void previrt_vcpu_cpuid_adjust(const struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
			       uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/* The classes previrt_vcpu_emulate() handles completely. */
int previrt_vcpu_emulates_class(unsigned int klass);

#endif /* PREVIRT_VCPU_H */
