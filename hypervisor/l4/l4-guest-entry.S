/* SPDX-License-Identifier: MIT */
/*
 * Where previrt-l4-monitor starts the guest's two threads, and the note
 * that tells it (l4-boot.h). Each thread starts with %esp at the monitor's
 * struct l4_start_info; we move to a stack of our own and pass it on.
 *
 * A guest links this by naming l4_guest_entry (-Wl,-u,l4_guest_entry)
 * and keeping the note section in a PT_NOTE segment.
 */
#define L4_NOTE_ENTRY	0x4c340001

	.text
	.globl	l4_guest_entry
	.type	l4_guest_entry, @function
l4_guest_entry:
	movl	%esp, %eax
	movl	$l4_vcpu_stack_top, %esp
	xorl	%ebp, %ebp
	pushl	%eax
	call	l4_guest_start
1:	jmp	1b
	.size	l4_guest_entry, . - l4_guest_entry

	.globl	l4_vmm_entry
	.type	l4_vmm_entry, @function
l4_vmm_entry:
	movl	%esp, %eax
	movl	$l4_vmm_stack_top, %esp
	xorl	%ebp, %ebp
	pushl	%eax
	call	l4_vmm_thread_main
1:	jmp	1b
	.size	l4_vmm_entry, . - l4_vmm_entry

	.section .note.previrt, "a", @note
	.balign	4
	.long	8			/* "previrt\0" */
	.long	8			/* two addresses */
	.long	L4_NOTE_ENTRY
	.asciz	"previrt"
	.balign	4
	.long	l4_guest_entry
	.long	l4_vmm_entry

	.bss
	.balign	16
	.skip	16384
l4_vcpu_stack_top:
	.skip	16384
l4_vmm_stack_top:

	.section .note.GNU-stack, "", @progbits
