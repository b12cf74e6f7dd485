/* SPDX-License-Identifier: MIT */
/*
 * sti, patched: "call l4_sti_stub" in the sled (l4-backend.c, l4_emit).
 * Set the virtual IF; when a virtual interrupt may be due (l4_sti_slow,
 * kept by l4-backend.c: the APIC timer is running or an IRR bit is set),
 * leave through the gate so that the VMM thread delivers it right after
 * the sti, as a real CPU would. Every register and the arithmetic flags
 * are kept, as sti keeps them.
 *
 * l4_vmm begins with the virtual CPU, whose first member is if_flag;
 * l4_gate begins with op and ip; L4_GATE_INTERRUPT is 2 (all checked in
 * l4-backend.c).
 */

	.text
	.globl	l4_sti_stub
	.type	l4_sti_stub, @function
l4_sti_stub:
	movb	$1, l4_vmm		/* l4_vmm.cpu.if_flag = 1 (low byte; it holds 0 or 1) */
	pushfl
	cmpb	$0, l4_sti_slow
	jne	1f
	popfl
	ret
1:	popfl
	/* the gate: resume at our return address, with an interrupt to deliver */
	movl	$1, l4_vmm_busy
	popl	l4_gate + 4
	movl	$2, l4_gate
	jmp	l4_gate_hlt
	.size	l4_sti_stub, . - l4_sti_stub

	.section .note.GNU-stack, "", @progbits
