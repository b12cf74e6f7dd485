/* SPDX-License-Identifier: MIT */
/*
 * The Xen backend's assembly: where Xen transfers control to us.
 *
 *  xen_pv_start      the PV entry (XEN_ELFNOTE_ENTRY names it): Xen starts
 *                    the domain here in long mode, ring 3, events masked,
 *                    %rsi = start_info.  We take a stack of our own, let
 *                    xen_pv_boot() set up the VMM and patch the sleds, and
 *                    enter the kernel's C entry with the PVH-style start
 *                    info it returns, exactly as the kernel's own PVH stub
 *                    would (XEN_KERNEL_ENTRY, the conformance guest's
 *                    guest_main unless the build says otherwise).
 *  xen_trap_N        one per exception vector, named in the trap table.
 *  xen_event_entry   the event callback (virtual interrupts).
 *  xen_sti_stub      what a patched sti calls.
 *  xen_regs_resume   leave the VMM into a register frame.
 *
 * Xen's exception and event frames are the CPU's, with %rcx and %r11 (which
 * its own sysret-style return needs) pushed on top:
 *	rcx, r11, [error code], rip, cs, rflags, rsp, ss
 * Popping those two leaves exactly the native frame, so the guest's IDT
 * handler can be entered on it after the VMM has adjusted cs and rflags.
 */
#ifndef XEN_KERNEL_ENTRY
#define XEN_KERNEL_ENTRY guest_main
#endif

	.text
	.globl	xen_pv_start
	.type	xen_pv_start, @function
xen_pv_start:
	leaq	xen_boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp
	movq	%rsi, %rdi
	call	xen_pv_boot
	movq	%rax, %rdi
	call	XEN_KERNEL_ENTRY
1:	jmp	1b
	.size	xen_pv_start, . - xen_pv_start

/*
 * Save the registers C may clobber, call route(vector, has_error, frame)
 * and continue at the address it returns, with every register as it was
 * when Xen entered us and %rsp at the native frame.  0 and 1 mean "return
 * to the interrupted code" (1: after dropping the error code): the frame
 * is Xen's own, so iretq (a ring-3 to ring-3 return) goes back directly
 * once the selectors' RPL is put back.
 */
#define SAVED	(9 * 8)
	.type	xen_route_common, @function
xen_route_common:		/* %edi = vector, %esi = has_error; rax, rdi, rsi pushed */
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	leaq	SAVED(%rsp), %rdx	/* the native frame */
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rsp
	cld
	call	xen_trap_route
	movq	%rbp, %rsp
	popq	%rbp
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rcx
	popq	%rdx
	popq	%rsi
	popq	%rdi
	cmpq	$1, %rax
	jbe	1f
	xchgq	%rax, (%rsp)		/* restores rax, leaves the target on top */
	ret
1:	popq	%rax
	jne	2f			/* flags still from the cmpq: 0, no error code */
	leaq	8(%rsp), %rsp		/* 1: drop the error code */
2:	/*
	 * Xen shows a kernel its own selectors with RPL 0; the real ones
	 * are RPL 3, and iretq checks them.
	 */
	orq	$3, 8(%rsp)		/* cs */
	orq	$3, 32(%rsp)		/* ss */
	iretq
	.size	xen_route_common, . - xen_route_common

.macro TRAP vec, err
	.type	xen_trap_\vec, @function
xen_trap_\vec:
	popq	%rcx
	popq	%r11
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	movl	$\vec, %edi
	movl	$\err, %esi
	jmp	xen_route_common
	.size	xen_trap_\vec, . - xen_trap_\vec
.endm

	TRAP 0, 0
	TRAP 1, 0
	TRAP 2, 0
	TRAP 3, 0
	TRAP 4, 0
	TRAP 5, 0
	TRAP 6, 0
	TRAP 7, 0
	TRAP 8, 1
	TRAP 9, 0
	TRAP 10, 1
	TRAP 11, 1
	TRAP 12, 1
	TRAP 13, 1
	TRAP 14, 1
	TRAP 15, 0
	TRAP 16, 0
	TRAP 17, 1
	TRAP 18, 0
	TRAP 19, 0
	TRAP 20, 0
	TRAP 21, 1

	/* Event callback: no error code; vector 256 means "ask the VMM". */
	.globl	xen_event_entry
	.type	xen_event_entry, @function
xen_event_entry:
	popq	%rcx
	popq	%r11
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	movl	$256, %edi
	xorl	%esi, %esi
	jmp	xen_route_common
	.size	xen_event_entry, . - xen_event_entry

	/*
	 * Failsafe callback: Xen could not load a segment register when
	 * returning to us.  Nothing sensible to go back to: report it.
	 */
	.globl	xen_failsafe_entry
	.type	xen_failsafe_entry, @function
xen_failsafe_entry:
	andq	$-16, %rsp
	call	xen_failsafe
1:	jmp	1b
	.size	xen_failsafe_entry, . - xen_failsafe_entry

	.section .rodata
	.balign	8
	.globl	xen_trap_stubs
xen_trap_stubs:
	.quad xen_trap_0, xen_trap_1, xen_trap_2, xen_trap_3
	.quad xen_trap_4, xen_trap_5, xen_trap_6, xen_trap_7
	.quad xen_trap_8, xen_trap_9, xen_trap_10, xen_trap_11
	.quad xen_trap_12, xen_trap_13, xen_trap_14, xen_trap_15
	.quad xen_trap_16, xen_trap_17, xen_trap_18, xen_trap_19
	.quad xen_trap_20, xen_trap_21, 0, 0
	.quad 0, 0, 0, 0, 0, 0, 0, 0
	.text

/*
 * sti, patched: "call xen_sti_stub" in the sled.  Clear the event mask;
 * if an event came in while it was set, have Xen deliver it now, as a
 * real CPU takes a pending interrupt right after sti.  Every register and
 * the arithmetic flags are kept, as sti keeps them.
 */
	.globl	xen_sti_stub
	.type	xen_sti_stub, @function
xen_sti_stub:
	pushfq
	pushq	%rax
	movq	xen_vcpu(%rip), %rax
	movb	$0, 1(%rax)		/* evtchn_upcall_mask */
	cmpb	$0, 0(%rax)		/* evtchn_upcall_pending */
	je	1f
	call	xen_force_upcall
1:	popq	%rax
	popfq
	ret
	.size	xen_sti_stub, . - xen_sti_stub

/*
 * rdtscp, patched: the TSC as it is (Xen lets us read it) and the guest's
 * IA32_TSC_AUX, which the emulated wrmsr keeps in xen_tsc_aux.
 */
	.globl	xen_rdtscp_stub
	.type	xen_rdtscp_stub, @function
xen_rdtscp_stub:
	rdtsc
	movl	xen_tsc_aux(%rip), %ecx
	ret
	.size	xen_rdtscp_stub, . - xen_rdtscp_stub

/*
 * Any hypercall returns through Xen's check for pending events; this
 * one does nothing else.  Keeps every register but %rax.
 */
	.globl	xen_force_upcall
	.type	xen_force_upcall, @function
xen_force_upcall:
	pushq	%rcx
	pushq	%r11
	pushq	%rdi
	pushq	%rsi
	movl	$17, %eax		/* __HYPERVISOR_xen_version */
	xorl	%edi, %edi		/* XENVER_version */
	xorl	%esi, %esi
	syscall
	popq	%rsi
	popq	%rdi
	popq	%r11
	popq	%rcx
	ret
	.size	xen_force_upcall, . - xen_force_upcall

/*
 * xen_regs_resume(regs): load every register from a struct previrt_regs
 * and continue at regs->ip with regs->sp.  As in the dispatcher, the
 * caller has put {flags, ip} at regs->sp, just below the target stack.
 */
	.globl	xen_regs_resume
	.type	xen_regs_resume, @function
xen_regs_resume:
	movq	%rdi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rbp
	popq	%rbx
	popq	%rdx
	popq	%rcx
	popq	%rax
	popq	%rsp
	popfq
	ret
	.size	xen_regs_resume, . - xen_regs_resume

	.bss
	.balign	16
	.skip	32768
	.globl	xen_boot_stack_top
xen_boot_stack_top:

	.section .note.GNU-stack, "", @progbits
