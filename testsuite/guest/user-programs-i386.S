/* SPDX-License-Identifier: MIT */
/*
 * The user programs of user-programs.S for the i386 build: the same
 * programs in 32-bit code, reporting through int $0x80 (a DPL 3 gate to
 * user-entry-i386.c) instead of syscall. The four report registers are
 * ebx, esi, edi and ebp (the rbx, r12, r13, r14 of struct user_regs); the
 * kernel takes the user eip and eflags from the int $0x80 frame (rcx,
 * r11). On entry edi holds an argument from the kernel. Assembly outside
 * the plugin's reach on purpose, like the x86-64 programs.
 */
	.section .user.text, "ax"
	.code32
	.balign 4096
	.globl user_page_start
user_page_start:

	/* The flags and selectors user mode sees; popf must not clear IF. */
	.globl user_prog_flags, user_prog_flags_ret
user_prog_flags:
	pushfl
	popl	%ebx			/* ebx: EFLAGS at CPL 3 */
	movl	%ebx, %eax
	andl	$~0x200, %eax
	pushl	%eax
	popfl				/* try to clear IF: silently ignored */
	pushfl
	popl	%esi			/* esi: EFLAGS after that popf */
	xorl	%edi, %edi
	movw	%cs, %di		/* edi: CS, RPL 3 */
	xorl	%ebp, %ebp
	movw	%ss, %bp		/* ebp: SS, RPL 3 */
	int	$0x80
user_prog_flags_ret:

	/* Privileged instructions at CPL 3: each must raise #GP(0). */
	.globl user_prog_cli, user_prog_cli_resume
user_prog_cli:
	cli
user_prog_cli_resume:
	int	$0x80

	.globl user_prog_hlt, user_prog_hlt_resume
user_prog_hlt:
	hlt
user_prog_hlt_resume:
	int	$0x80

	.globl user_prog_in, user_prog_in_resume
user_prog_in:
	inb	$0x80, %al		/* IOPL 0, no I/O bitmap */
user_prog_in_resume:
	int	$0x80

	.globl user_prog_cr, user_prog_cr_resume
user_prog_cr:
	movl	%cr3, %eax
user_prog_cr_resume:
	int	$0x80

	/* rdtsc: allowed unless CR4.TSD; esi:ebx is what it read. */
	.globl user_prog_rdtsc, user_prog_rdtsc_resume
user_prog_rdtsc:
	rdtsc				/* eax, edx start as 0 (user_enter_iret) */
user_prog_rdtsc_resume:
	movl	%eax, %ebx
	movl	%edx, %esi
	int	$0x80

	/* A load from the supervisor page at edi: #PF, error P|U. */
	.globl user_prog_load, user_prog_load_resume
user_prog_load:
	movl	(%edi), %ebx
user_prog_load_resume:
	int	$0x80

	.balign 4096
	.globl user_page_end
user_page_end:

	/* No executable stack wanted (silences ld). */
	.section .note.GNU-stack, "", @progbits
