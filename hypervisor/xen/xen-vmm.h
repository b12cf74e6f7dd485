/* SPDX-License-Identifier: MIT */
/*
 * The in-place VMM on Xen: state and parts shared by the backend's files.
 *
 * One virtual CPU (libprevirt's hypervisor-neutral struct previrt_vcpu)
 * plus what only the Xen backend keeps: the guest-visible segment
 * selectors (the real ones are Xen's flat ring-3 selectors), the virtual
 * devices, and the pieces that move control between Xen's frames and the
 * guest's own IDT handlers.
 *
 * The guest's interrupt flag lives in two places, by necessity, and
 * which one is the truth depends only on who runs:
 *
 *  - guest code runs: vcpu_info->evtchn_upcall_mask (1 = IF clear) is the
 *    truth.  The inline cli/sti are one byte store to it and the pushf/popf
 *    stubs read and write it (xen-entry.S): that is the fast path, with no
 *    call into the VMM, so the flag cannot live anywhere else then.
 *    cpu.if_flag is stale and nothing reads it.
 *  - the VMM runs (xen_handle, the trap and upcall entries): the mask is 1
 *    throughout (the VMM is not reentrant: an upcall in the middle of an
 *    emulation would run the guest's handler on half-changed state), so
 *    the guest's IF cannot be the mask; cpu.if_flag, which the core
 *    (vcpu.c, vmm/kret.c, vmm/frame.c) reads and writes, is the truth.
 *
 * So the value is copied exactly where control crosses: on entry
 * (if_flag = !mask, then mask = 1: xen_handle in xen-cpu.c; the trap
 * entry in xen-traps.c keeps it in a local, if_before, since no emulation
 * runs there), and on the way back
 * to guest code (mask = !if_flag, and a pending event is taken then:
 * xen_handle's end, xen_regs_resume and xen_inject for delivered frames,
 * xen_syscall_c for syscall's FMASK, idle()'s SCHEDOP_block, which unmasks
 * atomically itself).  These are not one function yet because each leaves
 * on a different frame (dispatcher return, Xen's iret, the syscall stub),
 * and only xen_handle's exit forces a pending upcall itself; folding them
 * into one entry/exit pair is still to do (issue 13, part A, item 3).
 */
#ifndef PREVIRT_XEN_VMM_H
#define PREVIRT_XEN_VMM_H

#include <stdint.h>
#include <previrt/vcpu.h>
#include <previrt/x86-arch.h>
#include <previrt/vseg.h>
#include <previrt/vlapic.h>
#include "xen-pv.h"

struct xen_vmm {
	struct previrt_vcpu cpu;
	/*
	 * Guest-visible selectors (what mov-from-segment and frames show)
	 * and the emulation of the guest's GDT/LDT, libprevirt's.
	 */
	struct previrt_vseg seg;
	/* The selectors of the guest's user mode (from sysretq or iretq). */
	uint16_t user_cs, user_ss;
};
extern struct xen_vmm xen_vmm;

/* The backend descriptor, handed to the runtime as an extra backend. */
extern const struct previrt_backend previrt_backend_xen;

/* xen-entry.S: PV entry, trap stubs, event callback, inline-sled stubs. */
extern char xen_sti_stub[];
extern char xen_rdtscp_stub[];
extern char xen_pushf_stub[], xen_popf_stub[];
extern char xen_event_entry[];
extern char xen_failsafe_entry[];
extern const unsigned long xen_trap_stubs[32];
_Noreturn void xen_regs_resume(struct previrt_regs *regs, int unmask);
/* Ask Xen to deliver what is pending now (any hypercall does). */
void xen_force_upcall(void);

/* xen-traps.c */
int xen_traps_init(void);
/* The guest's IDT gate for vector: handler address, 0 if absent. */
unsigned long xen_guest_gate(unsigned int vector, int *interrupt_gate);
/*
 * Enter the guest's handler for vector as the CPU would, from the state in
 * regs (interrupted at regs->ip, which is the faulting instruction for a
 * fault, with the guest's IF if_before): a native frame on the guest's
 * stack, IF cleared for an interrupt gate.  Call with events masked.  Does not return.  When the guest has no handler the
 * run is ended with a message.
 */
_Noreturn void xen_inject(const struct previrt_regs *regs, unsigned int vector,
			  int has_error, unsigned long error, int if_before);

/* xen-events.c: VIRQ_TIMER and the virtual local APIC's timer. */
int xen_events_init(void);
/* Acknowledge Xen's events (called on each upcall). */
void xen_events_ack(void);
/* Ask Xen for an event at the virtual APIC timer's next expiry. */
void xen_events_arm_timer(void);

/*
 * xen-vlapic.c: the local APIC page, libprevirt's model (previrt/vlapic.h)
 * on Xen's clock, event flag and single-shot timer.
 */
#define XEN_LAPIC_BASE	0xfee00000UL
uint32_t xen_vlapic_read(unsigned int reg);
void xen_vlapic_write(unsigned int reg, uint32_t value);
/* Fold elapsed time into the timer; sets IRR bits that fell due. */
void xen_vlapic_update(void);
/* Absolute Xen system time (ns) of the next timer expiry, 0 if none. */
uint64_t xen_vlapic_deadline(void);
/* Highest-priority interrupt ready: moved from IRR to ISR; or -1. */
int xen_vlapic_next_vector(void);
void xen_vlapic_init(uint32_t apic_id);
/* Whether the APIC has an interrupt the guest would take with IF set. */
int xen_vlapic_pending(void);

/* xen-ports.c: port I/O, the virtual 8250 and the exit port. */
uint32_t xen_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size);
void xen_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size, uint32_t value);
void xen_uart_flush(void);

/* xen-guest-pt.c: a walk of the guest's own page tables. */
/* Guest-physical address for va under the guest's CR3, or -1 when unmapped. */
uint64_t xen_guest_translate(unsigned long va);

/*
 * xen-vtlb.c: the virtual TLB.  xen_vtlb_fault() resolves a real #PF at
 * va, taken in user mode (CPL 3) or not: -1 when it entered the guest's mapping (retry the access), -2 when
 * it could not (out of page-table pages), else the #PF error code the
 * guest must see (its tables do not allow the access).
 */
long xen_vtlb_fault(unsigned long va, unsigned long real_error, int user);
void xen_vtlb_invlpg(unsigned long va);
void xen_vtlb_flush_all(void);
void xen_vtlb_flush_user_pages(void);

/* The guest's paging state (CR0/3/4, EFER, AC) as the core's walk takes it. */
struct previrt_pw_state;
void xen_vtlb_paging_state(struct previrt_pw_state *s);

/* A fresh, empty root page table (machine frame), or 0. */
unsigned long xen_vtlb_new_root(void);

/* xen-user.c: CPL 3. */
int xen_user_init(void);
extern unsigned long xen_user_root_mfn;
extern char xen_iret_stub[], xen_sysret_stub[], xen_syscall_entry[];
_Noreturn void xen_iret_to_user(const struct previrt_regs *r, struct iret_context *f);

/* xen-cpu.c: the GENERIC handler and the hooks of the virtual CPU. */
int xen_handle(struct previrt_vcpu *v, struct previrt_regs *regs, const struct pv_x86_insn *insn,
	       const struct previrt_site *site);
struct xen_emulation {
	struct previrt_regs *regs;
	const struct previrt_site *site;
	struct xen_emulation *outer;
	struct previrt_regs at_insn;	/* the guest's registers at the sled */
	int if_flag;
};
extern struct xen_emulation *xen_emulating;
void xen_cpu_init(void);

#endif /* PREVIRT_XEN_VMM_H */
