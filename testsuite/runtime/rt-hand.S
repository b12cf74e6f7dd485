/* SPDX-License-Identifier: MIT */
/*
 * Hand-written sites, assembled whatever the build (the plugin never sees
 * .S files): a whole-register check around a dispatched cli, and a record
 * that lies about its sled, which the runtime must refuse.
 */
#ifdef __x86_64__
#define ARCH 2
#else
#define ARCH 1
#endif

/*
 * The plugin's output for one site, as in the comment at the end of abi.h;
 * each starts where the code before it ends, so it vouches for its
 * boundary (PREVIRT_F_BOUNDARY, 8) as the plugin does.
 */
.macro PVSLED klass, flags, insn:vararg
771:	\insn
772:	.if (772b - 771b) < 8
	.nops 8 - (772b - 771b)
	.endif
773:
	.pushsection previrt_sites, "a"
	.balign 4
	.long 771b - .
	.byte 1, ARCH, \klass, (\flags) | 8, 773b - 771b, 772b - 771b, 0, 0
	.popsection
.endm

	.text
/*
 * int rt_cli_keeps_registers(void): load a distinct value into every
 * general register, run a cli sled, and check that all of them are still
 * there.  Half the values are negative so that a 32-bit write where a
 * 64-bit one was due (upper half zeroed) shows.
 */
	.globl	rt_cli_keeps_registers
	.type	rt_cli_keeps_registers, @function
rt_cli_keeps_registers:
#ifdef __x86_64__
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	$-0x11111112, %rax
	mov	$0x22222222, %rcx
	mov	$-0x33333334, %rdx
	mov	$0x44444444, %rbx
	mov	$-0x55555556, %rbp
	mov	$0x66666666, %rsi
	mov	$-0x77777778, %rdi
	mov	$0x08888888, %r8
	mov	$-0x09999999, %r9
	mov	$0x0aaaaaaa, %r10
	mov	$-0x0bbbbbbb, %r11
	mov	$0x0ccccccc, %r12
	mov	$-0x0ddddddd, %r13
	mov	$0x0eeeeeee, %r14
	mov	$-0x0fffffff, %r15
	PVSLED	1, 0, cli
	cmp	$-0x11111112, %rax
	jne	1f
	cmp	$0x22222222, %rcx
	jne	1f
	cmp	$-0x33333334, %rdx
	jne	1f
	cmp	$0x44444444, %rbx
	jne	1f
	cmp	$-0x55555556, %rbp
	jne	1f
	cmp	$0x66666666, %rsi
	jne	1f
	cmp	$-0x77777778, %rdi
	jne	1f
	cmp	$0x08888888, %r8
	jne	1f
	cmp	$-0x09999999, %r9
	jne	1f
	cmp	$0x0aaaaaaa, %r10
	jne	1f
	cmp	$-0x0bbbbbbb, %r11
	jne	1f
	cmp	$0x0ccccccc, %r12
	jne	1f
	cmp	$-0x0ddddddd, %r13
	jne	1f
	cmp	$0x0eeeeeee, %r14
	jne	1f
	cmp	$-0x0fffffff, %r15
	jne	1f
	mov	$1, %eax
	jmp	2f
1:	xor	%eax, %eax
2:	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret
#else
	push	%ebx
	push	%ebp
	push	%esi
	push	%edi
	mov	$0x11111111, %eax
	mov	$0x22222222, %ecx
	mov	$0x33333333, %edx
	mov	$0x44444444, %ebx
	mov	$0x55555555, %ebp
	mov	$0x66666666, %esi
	mov	$0x77777777, %edi
	PVSLED	1, 0, cli
	cmp	$0x11111111, %eax
	jne	1f
	cmp	$0x22222222, %ecx
	jne	1f
	cmp	$0x33333333, %edx
	jne	1f
	cmp	$0x44444444, %ebx
	jne	1f
	cmp	$0x55555555, %ebp
	jne	1f
	cmp	$0x66666666, %esi
	jne	1f
	cmp	$0x77777777, %edi
	jne	1f
	mov	$1, %eax
	jmp	2f
1:	xor	%eax, %eax
2:	pop	%edi
	pop	%esi
	pop	%ebp
	pop	%ebx
	ret
#endif
	.size	rt_cli_keeps_registers, . - rt_cli_keeps_registers

/* A record that says cli for a sled that holds sti: never called. */
	.globl	rt_lying_record
	.type	rt_lying_record, @function
	.globl	rt_lying_sled
rt_lying_record:
rt_lying_sled:
	PVSLED	1, 0, sti
	ret
	.size	rt_lying_record, . - rt_lying_record

	.section .note.GNU-stack, "", @progbits
