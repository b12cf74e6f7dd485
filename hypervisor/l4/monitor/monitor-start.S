/* SPDX-License-Identifier: MIT */
/*
 * Entry of previrt-l4-monitor, the root task: kickstart loads it as the
 * root server module and the kernel starts it at e_entry with no stack of
 * its own. We give it one and call monitor_main(), which never returns.
 */
	.text
	.globl	_start
_start:
	movl	$monitor_stack_top, %esp
	xorl	%ebp, %ebp
	call	monitor_main
1:	jmp	1b

	.bss
	.balign	16
	.skip	16384
monitor_stack_top:

	.section .note.GNU-stack, "", @progbits
