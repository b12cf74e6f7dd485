/* SPDX-License-Identifier: MIT */
/*
 * Entry of l4-probe, the root task that checks the L4 backend's primitives
 * on a real X.2 ia32 kernel: kickstart loads it as the root server module,
 * the kernel starts it at e_entry with no stack of its own. We give it one
 * and call l4_probe_main(), which ends the run itself.
 */
	.text
	.globl	_start
_start:
	movl	$probe_stack_top, %esp
	xorl	%ebp, %ebp
	call	l4_probe_main
1:	jmp	1b

	.bss
	.balign	16
	.skip	16384
probe_stack_top:

	.section .note.GNU-stack, "", @progbits
