/* SPDX-License-Identifier: MIT */
/*
 * The single step of a watched store (l4-watch.h): the virtual CPU thread
 * sets and clears its own TF with popf, which the L4 kernel lets it do.
 *
 * l4_step_enter: the stack holds {flags with TF, the store's address}:
 * popf sets TF, ret goes to the store (#DB after the ret, then after the
 * store).
 * l4_step_leave: the stack holds {the address to go on at}: TF off, then
 * back (#DB after each instruction until the popf, none after the ret).
 */
	.text
	.globl	l4_step_enter, l4_step_leave, l4_step_leave_ret
l4_step_enter:
	popfl
	ret

l4_step_leave:
	pushfl
	andl	$~0x100, (%esp)
	popfl
l4_step_leave_ret:
	ret

	.section .note.GNU-stack, "", @progbits
