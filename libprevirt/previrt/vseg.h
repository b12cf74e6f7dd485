/* SPDX-License-Identifier: MIT */
/*
 * Segmentation against the guest's own descriptor tables.
 *
 * Under a hypervisor the real selectors belong to the hypervisor (Xen's
 * flat ring-3 selectors, the L4 kernel's GDT), so what a kernel believes
 * about its segments has to be kept and checked here: the selectors it
 * loaded, the descriptors they name in the GDT and LDT it set up with
 * lgdt/lldt (struct previrt_vcpu's gdtr and ldtr), the accessed and busy
 * bits the CPU writes into those descriptors, and the exceptions the CPU
 * raises when a load breaks a rule.  Hypervisor-neutral (DESIGN 4b): the
 * same code serves Xen (x86-64) and L4 (i386); a backend owns a struct
 * previrt_vseg, routes the classes previrt_vseg_emulates_class() names to
 * previrt_vseg_emulate(), and injects the faults it reports.
 *
 * The descriptor tables are guest memory, read (and their accessed/busy
 * bits written) in place at the virtual GDTR/LDTR base.  The LDTR is the
 * selector vcpu.c's lldt stored; its GDT descriptor is looked up at each
 * use and must be a present LDT descriptor.  A GDTR base of 0 means "no
 * GDT yet": every non-null selector is then beyond the limit.
 *
 * Long mode (the x86-64 build) differs from legacy protected mode (the
 * i386 build) where the CPU does: 16-byte system descriptors, which
 * system types lar/lsl/ltr accept, the null %ss a 64-bit kernel may load,
 * the L bit of a code segment, canonical far-transfer targets.
 *
 * Not modelled: segment bases other than %fs/%gs and segment limits for
 * data accesses (kernels run flat), the interrupt shadow after a load of
 * %ss, call gates, task switches.
 */
#ifndef PREVIRT_VSEG_H
#define PREVIRT_VSEG_H

#include <stdint.h>
#include <previrt/vcpu.h>

/* Exceptions previrt_vseg_emulate() may report. */
#define PREVIRT_VSEG_NP	11	/* segment not present (data segment, %cs) */
#define PREVIRT_VSEG_SS	12	/* stack segment: %ss not present */
#define PREVIRT_VSEG_GP	13	/* general protection */

struct previrt_vseg {
	/*
	 * The guest-visible selectors, RPL included, as the guest loaded
	 * them (mov/push from a segment register and exception frames show
	 * these).  The backend sets the initial values, and changes cs/ss
	 * itself for the transitions this module does not emulate (iret,
	 * syscall, sysret, interrupt delivery).
	 */
	uint16_t es, cs, ss, ds, fs, gs;
	/*
	 * A load of %fs or %gs changed its base: v->fs_base or v->gs_base
	 * (which vcpu.c adds to %fs/%gs-relative operands) already holds the
	 * new value, the descriptor's 32-bit base or 0 for a null selector.
	 * A backend whose hypervisor keeps the real base sets it here (Xen:
	 * a hypercall); NULL: the base stays virtual.
	 */
	void (*base_changed)(struct previrt_vseg *s, struct previrt_vcpu *v,
			     unsigned int sreg, unsigned long base);
	void *opaque;		/* the backend's */
};

/* An exception the guest must take at the instruction. */
struct previrt_vseg_fault {
	unsigned int vector;	/* PREVIRT_VSEG_* */
	int has_error;		/* always 1 for the vectors above */
	unsigned long error;	/* selector error code: index, TI; 0 for a null selector */
};

/*
 * Emulate insn (from site; regs->ip already points past the sled, as the
 * dispatcher leaves it) against the guest's descriptor tables:
 *
 *   mov/pop to %ds %es %fs %gs %ss, lds les lfs lgs lss  (class SEG_WRITE)
 *   mov/push from any segment register                   (class SEG_READ)
 *   ljmp, lcall, lret to the same privilege level        (class FAR_XFER)
 *   lar lsl verr verw: ZF and the result                 (class SEG_CHECK)
 *   ltr: the TSS descriptor's busy bit, then v->tr
 *
 * Returns
 *    0  done: registers, selectors, v->fs_base/gs_base, the descriptor's
 *       accessed or busy bit updated (v->emulated counted);
 *    1  the guest must take an exception: *fault filled, nothing changed
 *       (regs, selectors, descriptors), so that the backend can raise it
 *       at the instruction (ip = the sled) as the CPU would;
 *   -1  not emulated here: an op this module does not handle, or a far
 *       transfer it cannot do in place (to another privilege level,
 *       through a gate or TSS, or to code of another size).
 */
int previrt_vseg_emulate(struct previrt_vcpu *v, struct previrt_vseg *s,
			 struct previrt_regs *regs, const struct pv_x86_insn *insn,
			 const struct previrt_site *site, struct previrt_vseg_fault *fault);

/* Whether previrt_vseg_emulate() takes op (enum pv_x86_op) at all. */
int previrt_vseg_handles_op(unsigned int op);

/*
 * The classes it handles in full, except for the -1 cases above:
 * SEG_READ, SEG_WRITE, FAR_XFER, SEG_CHECK.  (ltr is of class DESC_LOAD,
 * whose other members stay with previrt_vcpu_emulate().)
 */
int previrt_vseg_emulates_class(unsigned int klass);

/*
 * Load data segment register sreg (PV_SEG_ES, SS, DS, FS, GS) with sel
 * as mov to a segment register would, with every check: for backends
 * that restore segments themselves (a kernel return's frame).  0; 1
 * with *fault filled and nothing changed; -1 for %cs or no such register.
 */
int previrt_vseg_load(struct previrt_vcpu *v, struct previrt_vseg *s, unsigned int sreg,
		      unsigned int sel, struct previrt_vseg_fault *fault);

/* The slot of segment register sreg in s, NULL for none. */
uint16_t *previrt_vseg_sreg(struct previrt_vseg *s, unsigned int sreg);

#endif /* PREVIRT_VSEG_H */
