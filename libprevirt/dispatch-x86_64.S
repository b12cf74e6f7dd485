/* SPDX-License-Identifier: MIT */
/*
 * Generic dispatcher entry, x86-64: what a sled's "call" lands on.
 *
 * Builds a struct previrt_regs (previrt/backend.h) on the stack, lowest
 * address first: r15..r8, rdi, rsi, rbp, rbx, rdx, rcx, rax, sp, ip,
 * flags, four free words, then the return address the call pushed
 * (sled + 5), of which ip is a copy.  The flags are saved before anything
 * can change them; 'lea' is used to open the gap because it leaves the
 * flags alone.  The C side may change every field; see dispatch.c for
 * how a changed stack pointer gets back.
 *
 * Kernel build: the handlers are compiled -mgeneral-regs-only, so saving
 * the general registers is saving everything they can touch.  Hosted
 * build (PREVIRT_HOSTED): handlers are ordinary C that may use SSE/AVX
 * through libc, so the extended state is saved too, with xsave when the
 * processor has it (pv_xsave_size bytes, found at start-up by xstate.c;
 * xsavec when available, which skips state still in its initial form),
 * and fxsave otherwise.
 */
	.text
	.globl	previrt_dispatch_entry
	.type	previrt_dispatch_entry, @function
	.p2align 4
previrt_dispatch_entry:
	lea	-32(%rsp), %rsp		/* regs->gap */
	pushfq				/* regs->flags */
	pushq	40(%rsp)		/* regs->ip: copy of the return address */
	push	%rax			/* regs->sp: filled in by C */
	push	%rax
	push	%rcx
	push	%rdx
	push	%rbx
	push	%rbp
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi		/* argument: the frame */
	mov	%rsp, %rbx		/* callee-saved: where the frame is */
	cld				/* the C ABI wants DF clear */
#ifdef PREVIRT_HOSTED
	mov	pv_xsave_size(%rip), %ecx
	test	%ecx, %ecx
	jz	1f
	sub	%rcx, %rsp
	and	$-64, %rsp
	/* XRSTOR wants a clean header: bytes 512..575 must start zeroed */
	xor	%eax, %eax
	mov	%rax, 512(%rsp)
	mov	%rax, 520(%rsp)
	mov	%rax, 528(%rsp)
	mov	%rax, 536(%rsp)
	mov	%rax, 544(%rsp)
	mov	%rax, 552(%rsp)
	mov	%rax, 560(%rsp)
	mov	%rax, 568(%rsp)
	mov	$-1, %eax
	mov	$-1, %edx
	cmpl	$0, pv_xsave_compact(%rip)
	jz	3f
	xsavec64 (%rsp)
	jmp	4f
3:	xsave64	(%rsp)
4:	call	pv_dispatch_c
	mov	$-1, %eax
	mov	$-1, %edx
	xrstor64 (%rsp)
	jmp	2f
1:	sub	$512, %rsp
	and	$-16, %rsp
	fxsave64 (%rsp)
	call	pv_dispatch_c
	fxrstor64 (%rsp)
2:
#else
	and	$-16, %rsp
	call	pv_dispatch_c
#endif
	mov	%rbx, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rbp
	pop	%rbx
	pop	%rdx
	pop	%rcx
	pop	%rax
	pop	%rsp			/* regs->sp: points at {flags, ip} now */
	popfq
	ret
	.size	previrt_dispatch_entry, . - previrt_dispatch_entry

	.section .note.GNU-stack, "", @progbits
