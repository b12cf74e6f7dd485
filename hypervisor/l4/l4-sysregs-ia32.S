/* SPDX-License-Identifier: MIT */
/*
 * The X.2 ia32 system calls that take arguments in every general
 * register, so that C inline assembly has none left to hold the entry
 * address (see l4-syscall.h for the register assignments). cdecl.
 */
	.text

/* l4_word_t l4_sys_call5(entry, eax, ecx, edx, esi, edi): returns eax */
	.globl	l4_sys_call5
	.type	l4_sys_call5, @function
l4_sys_call5:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	/* arguments from 20(%esp): entry, eax, ecx, edx, esi, edi */
	movl	24(%esp), %eax
	movl	28(%esp), %ecx
	movl	32(%esp), %edx
	movl	36(%esp), %esi
	movl	40(%esp), %edi
	call	*20(%esp)
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
	.size	l4_sys_call5, . - l4_sys_call5

/*
 * l4_word_t l4_sys_exregs_raw(entry, dest, struct l4_exregs *r):
 * r = {control, sp, ip, flags} in, the previous values out; the user
 * handle and pager are neither set nor kept. Returns eax (nil: failed).
 */
	.globl	l4_sys_exregs_raw
	.type	l4_sys_exregs_raw, @function
l4_sys_exregs_raw:
	pushl	%ebp
	pushl	%ebx
	pushl	%esi
	pushl	%edi
	movl	28(%esp), %eax		/* r */
	movl	0(%eax), %ecx
	movl	4(%eax), %edx
	movl	8(%eax), %esi
	movl	12(%eax), %edi
	xorl	%ebx, %ebx
	xorl	%ebp, %ebp
	movl	24(%esp), %eax		/* dest */
	call	*20(%esp)
	pushl	%eax
	movl	32(%esp), %eax		/* r, one push further */
	movl	%ecx, 0(%eax)
	movl	%edx, 4(%eax)
	movl	%esi, 8(%eax)
	movl	%edi, 12(%eax)
	popl	%eax
	popl	%edi
	popl	%esi
	popl	%ebx
	popl	%ebp
	ret
	.size	l4_sys_exregs_raw, . - l4_sys_exregs_raw

	.section .note.GNU-stack, "", @progbits
