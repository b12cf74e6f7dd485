/* SPDX-License-Identifier: MIT */
/*
 * Generic dispatcher entry, i386.  Same frame as dispatch-x86_64.S without
 * r8..r15, 4-byte words: edi, esi, ebp, ebx, edx, ecx, eax, sp, ip,
 * flags, four free words, return address.  pv_dispatch_c() is declared
 * regparm(1), so the frame goes in %eax whatever -mregparm the rest of
 * the build uses.
 */
	.text
	.globl	previrt_dispatch_entry
	.type	previrt_dispatch_entry, @function
	.p2align 4
previrt_dispatch_entry:
	lea	-16(%esp), %esp		/* regs->gap */
	pushfl				/* regs->flags */
	pushl	20(%esp)		/* regs->ip: copy of the return address */
	push	%eax			/* regs->sp: filled in by C */
	push	%eax
	push	%ecx
	push	%edx
	push	%ebx
	push	%ebp
	push	%esi
	push	%edi
	mov	%esp, %ebx		/* callee-saved: where the frame is */
	cld
#ifdef PREVIRT_HOSTED
	mov	pv_xsave_size, %ecx
	test	%ecx, %ecx
	jz	1f
	sub	%ecx, %esp
	and	$-64, %esp
	xor	%eax, %eax
	mov	$512, %ecx
3:	movl	$0, (%esp,%ecx)		/* clean XSAVE header, bytes 512..575 */
	add	$4, %ecx
	cmp	$576, %ecx
	jb	3b
	mov	$-1, %eax
	mov	$-1, %edx
	xsave	(%esp)
	mov	%ebx, %eax
	call	pv_dispatch_c
	mov	$-1, %eax
	mov	$-1, %edx
	xrstor	(%esp)
	jmp	2f
1:	sub	$512, %esp
	and	$-16, %esp
	fxsave	(%esp)
	mov	%ebx, %eax
	call	pv_dispatch_c
	fxrstor	(%esp)
2:
#else
	and	$-16, %esp
	mov	%ebx, %eax
	call	pv_dispatch_c
#endif
	mov	%ebx, %esp
	pop	%edi
	pop	%esi
	pop	%ebp
	pop	%ebx
	pop	%edx
	pop	%ecx
	pop	%eax
	pop	%esp
	popfl
	ret
	.size	previrt_dispatch_entry, . - previrt_dispatch_entry

	.section .note.GNU-stack, "", @progbits
