/* SPDX-License-Identifier: MIT */
/*
 * pushfl and popfl, patched: "call l4_pushf_stub" / "call l4_popf_stub"
 * in the sled (l4-backend.c, l4_emit). What the guest sees in its flags is
 * the virtual CPU's (previrt_vcpu_flags): the PV_FL_REAL bits of the real
 * flags with the virtual IF and AC, the rest zero. What popfl changes: the
 * PV_FL_REAL bits really, IF and AC virtually (previrt_vcpu_load_flags:
 * the one mask, from previrt/x86-arch.h). A popfl
 * that sets IF when a virtual interrupt may be due leaves through the
 * gate, like sti (l4-sti.S).
 *
 * Offsets: l4_vmm.cpu.if_flag at l4_vmm + 0, ac_flag at + 4; l4_gate.op
 * at + 0, .ip at + 4; L4_GATE_INTERRUPT is 2 (checked in l4-backend.c).
 */
#include <previrt/x86-arch.h>

	.text

/* At entry [esp] = return address E-4; on return [E-4] = the flags, esp = E-4. */
	.globl	l4_pushf_stub
	.type	l4_pushf_stub, @function
l4_pushf_stub:
	pushl	(%esp)			/* [E-8] = ret, [E-4] = ret: the slot */
	pushfl
	popl	4(%esp)			/* slot = real flags (address taken after the pop) */
	pushfl				/* keep the real flags across the edits */
	andl	$PV_FL_REAL, 8(%esp)
	orl	$PV_FL_FIXED, 8(%esp)
	cmpb	$0, l4_vmm		/* the virtual IF */
	je	1f
	orl	$PV_FL_IF, 8(%esp)
1:	cmpb	$0, l4_vmm + 4		/* the virtual AC */
	je	2f
	orl	$PV_FL_AC, 8(%esp)
2:	popfl
	ret
	.size	l4_pushf_stub, . - l4_pushf_stub

/* At entry [esp] = return address (E-4), [E] = the value; on return esp = E + 4. */
	.globl	l4_popf_stub
	.type	l4_popf_stub, @function
l4_popf_stub:
	pushl	%eax			/* [E-8] */
	movl	8(%esp), %eax		/* the value */
	testl	$PV_FL_IF, %eax
	setnz	l4_vmm
	testl	$PV_FL_AC, %eax
	setnz	l4_vmm + 4
	andl	$PV_FL_REAL, %eax
	orl	$PV_FL_FIXED, %eax
	xchgl	%eax, 4(%esp)		/* [E-4] = the real flags to load, eax = ret */
	movl	%eax, 8(%esp)		/* [E] = ret */
	popl	%eax
	cmpb	$0, l4_vmm
	je	1f
	cmpb	$0, l4_sti_slow
	jne	2f
1:	popfl
	ret
2:	popfl				/* esp = E, [E] = ret; no flag changes below */
	movl	$1, l4_vmm_busy
	popl	l4_gate + 4		/* the gate: go on at ret with an interrupt to deliver */
	movl	$2, l4_gate
	jmp	l4_gate_hlt
	.size	l4_popf_stub, . - l4_popf_stub

	.section .note.GNU-stack, "", @progbits
