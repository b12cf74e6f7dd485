/* SPDX-License-Identifier: MIT */
/*
 * Programs the user case runs at CPL 3, on one page the guest maps into a
 * user address space. They are assembly on purpose, outside the plugin's
 * reach: pre-virtualization rewrites kernel code only, while user code
 * runs as it is and meets the real privilege checks; so must these.
 * previrt-audit is told to list this section (.user.text) apart.
 *
 * Each program ends with syscall; the kernel side (user-entry.c) records
 * rbx, r12, r13, r14, rcx and r11 at that point. A program that faults on
 * purpose continues at its "_resume" label (the kernel's exception handler
 * sends it there) and reaches the same syscall. On entry rdi holds an
 * argument from the kernel.
 */
	.section .user.text, "ax"
	.balign 4096
	.globl user_page_start
user_page_start:

	/* The flags and selectors user mode sees; popf must not clear IF. */
	.globl user_prog_flags, user_prog_flags_ret
user_prog_flags:
	pushfq
	popq	%rbx			/* rbx: RFLAGS at CPL 3 */
	movq	%rbx, %rax
	andq	$~0x200, %rax
	pushq	%rax
	popfq				/* try to clear IF: silently ignored */
	pushfq
	popq	%r12			/* r12: RFLAGS after that popf */
	xorl	%r13d, %r13d
	movw	%cs, %r13w		/* r13: CS, RPL 3 */
	xorl	%r14d, %r14d
	movw	%ss, %r14w		/* r14: SS, RPL 3 */
	syscall
user_prog_flags_ret:

	/* Privileged instructions at CPL 3: each must raise #GP(0). */
	.globl user_prog_cli, user_prog_cli_resume
user_prog_cli:
	cli
user_prog_cli_resume:
	syscall

	.globl user_prog_hlt, user_prog_hlt_resume
user_prog_hlt:
	hlt
user_prog_hlt_resume:
	syscall

	.globl user_prog_in, user_prog_in_resume
user_prog_in:
	inb	$0x80, %al		/* IOPL 0, no I/O bitmap */
user_prog_in_resume:
	syscall

	.globl user_prog_cr, user_prog_cr_resume
user_prog_cr:
	movq	%cr3, %rax
user_prog_cr_resume:
	syscall

	/* rdtsc: allowed unless CR4.TSD; rbx:r12 is what it read. */
	.globl user_prog_rdtsc, user_prog_rdtsc_resume
user_prog_rdtsc:
	rdtsc				/* rax, rdx start as 0 (user_enter) */
user_prog_rdtsc_resume:
	movq	%rax, %rbx
	movq	%rdx, %r12
	syscall

	/* A load from the supervisor page at rdi: #PF, error P|U. */
	.globl user_prog_load, user_prog_load_resume
user_prog_load:
	movq	(%rdi), %rbx
user_prog_load_resume:
	syscall

	.balign 4096
	.globl user_page_end
user_page_end:

	/* No executable stack wanted (silences ld). */
	.section .note.GNU-stack, "", @progbits
