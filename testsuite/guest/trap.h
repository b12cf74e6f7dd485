/* SPDX-License-Identifier: MIT */
/*
 * Exceptions and interrupts through the guest's own IDT.
 *
 * Test cases provoke exceptions on purpose: they arm trap_catch, run the
 * faulting instruction inside an asm statement that also stores where to
 * resume, and read back what the CPU reported. An exception nobody armed
 * for ends the run with "Bail out!" and the full frame.
 */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include <stdint.h>

#define VEC_DE		0
#define VEC_DB		1
#define VEC_BP		3
#define VEC_UD		6
#define VEC_DF		8
#define VEC_NP		11
#define VEC_GP		13
#define VEC_PF		14
#define VEC_PIC_BASE	0x20	/* the 8259s are remapped here, and masked */
#define VEC_TIMER	0x30	/* LAPIC timer */
#define VEC_SPURIOUS	0xff	/* LAPIC spurious vector */

/* What the entry stub saved, in push order reversed; then the CPU's frame. */
#ifdef __x86_64__
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;		/* error is 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss;
};
#else
/*
 * i386: pushal's order, then the same words under the same names. The
 * CPU pushes rsp/ss (esp/ss) only on a change of privilege level.
 */
struct trap_frame {
	unsigned long rdi, rsi, rbp, esp_ignored, rbx, rdx, rcx, rax;
	unsigned long vector, error;
	unsigned long rip, cs, rflags, rsp, ss;
};
#endif

/* One caught exception, as the handler saw it. */
struct trap_record {
	int taken;
	uint64_t vector, error, rip, cs, rflags, rsp, cr2;
	uint64_t frame;		/* where the frame was: which stack the CPU used */
};

struct trap_catch {
	int armed;
	unsigned long resume;		/* rip to continue at; set by the probe's asm */
	struct trap_record rec;
};

extern volatile struct trap_catch trap_catch;

/* Build the IDT and load it (lidt). */
void trap_setup(void);
extern struct desc_ptr idt_ptr;

/* Arm the catcher: the next exception is recorded instead of fatal. */
void trap_arm(void);

/*
 * A DPL 3 interrupt gate to entry, so that CPL 3 code may "int vector"
 * (the i386 user case's way back to the kernel).
 */
void trap_set_user_gate(uint8_t vector, const void *entry);

/* Register a handler for an interrupt vector (timer, spurious). */
typedef void (*irq_handler_t)(struct trap_frame *frame);
void trap_set_irq_handler(uint8_t vector, irq_handler_t fn);

#endif
