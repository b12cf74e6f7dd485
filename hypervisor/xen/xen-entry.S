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
#include <previrt/x86-arch.h>

/* offsetof(struct xen_vmm, cpu.ac_flag): checked in xen-cpu.c */
#define XEN_VMM_AC_FLAG	4

/*
 * The general registers of a struct previrt_regs (previrt/backend.h),
 * pushed from ax down to r15 so that r15 ends lowest, and popped back.
 */
.macro PUSH_GPRS
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rbx
	pushq	%rbp
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
.endm
.macro POP_GPRS
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
.endm

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
 * Save the registers C may clobber, call xen_trap_route(vector, frame)
 * and continue at the address it returns, with every register as it was
 * when Xen entered us and %rsp at the native frame.  0 to 3 mean "return
 * to the interrupted code" on Xen's own frame: bit 0, after dropping the
 * error code; bit 1, to user mode (through HYPERVISOR_iret), else to
 * kernel code (by iretq).
 */
#define SAVED	(9 * 8)

/*
 * Back to kernel code interrupted in kernel mode.  Xen shows a kernel its
 * own selectors with RPL 0; the real ones are RPL 3, and iretq (ring 3 to
 * ring 3 here) checks them.
 */
	.type	xen_iretq_back, @function
xen_iretq_back:
	orq	$3, 8(%rsp)		/* cs */
	orq	$3, 32(%rsp)		/* ss */
	iretq
	.size	xen_iretq_back, . - xen_iretq_back

/*
 * Back to user mode: only HYPERVISOR_iret switches modes (and page-table
 * roots).  It pops rax, r11, rcx and its flags, then the iret frame.
 */
	.type	xen_hyper_iret, @function
xen_hyper_iret:
	pushq	$0			/* flags: a full iret, not a sysret */
	pushq	%rcx
	pushq	%r11
	pushq	%rax
	movl	$23, %eax		/* __HYPERVISOR_iret */
	syscall
	ud2				/* not reached */
	.size	xen_hyper_iret, . - xen_hyper_iret
	.type	xen_route_common, @function
xen_route_common:		/* %edi = vector; rax, rdi, rsi pushed */
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	leaq	SAVED(%rsp), %rsi	/* the native frame (C knows which vectors push an error code) */
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
	cmpq	$3, %rax
	ja	9f
	cmpq	$1, %rax
	je	1f
	cmpq	$2, %rax
	je	2f
	cmpq	$3, %rax
	je	3f
	popq	%rax			/* 0: back by iretq */
	jmp	xen_iretq_back
1:	popq	%rax			/* 1: drop the error code, iretq */
	leaq	8(%rsp), %rsp
	jmp	xen_iretq_back
2:	popq	%rax			/* 2: back to user mode */
	jmp	xen_hyper_iret
3:	popq	%rax			/* 3: drop the error code, to user mode */
	leaq	8(%rsp), %rsp
	jmp	xen_hyper_iret
9:	xchgq	%rax, (%rsp)		/* restores rax, leaves the target on top */
	ret
	.size	xen_route_common, . - xen_route_common

.macro TRAP vec
	.type	xen_trap_\vec, @function
xen_trap_\vec:
	popq	%rcx
	popq	%r11
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	movl	$\vec, %edi
	jmp	xen_route_common
	.size	xen_trap_\vec, . - xen_trap_\vec
.endm

	TRAP 0
	TRAP 1
	TRAP 2
	TRAP 3
	TRAP 4
	TRAP 5
	TRAP 6
	TRAP 7
	TRAP 8
	TRAP 9
	TRAP 10
	TRAP 11
	TRAP 12
	TRAP 14
	TRAP 15
	TRAP 16
	TRAP 17
	TRAP 18
	TRAP 19
	TRAP 20
	TRAP 21

/*
 * #GP: first the unpatched-instruction fallback (libprevirt's
 * vmm/fallback.c, the same emulation as a sled's).  From kernel mode with
 * error code 0 the guest's registers go into a struct previrt_regs below
 * Xen's frame and xen_gp_fallback() tries the instruction; if it took it,
 * it leaves through xen_regs_resume and does not return.  Else every
 * register comes back as it was and the fault takes the ordinary route.
 * The flags the tests below change are not the guest's: those are in the
 * frame.  F is the address of the error code:
 *	F: error, rip, cs, rflags, rsp, ss
 */
	.type	xen_trap_13, @function
xen_trap_13:
	popq	%rcx
	popq	%r11
	cmpq	$0, (%rsp)
	jne	1f
	testb	$3, 16(%rsp)		/* Xen shows kernel mode with RPL 0 */
	jnz	1f
	leaq	-40(%rsp), %rsp		/* ret, gap[4]: unused (rsp = F - 40) */
	pushq	64(%rsp)		/* flags: F + 24 */
	pushq	56(%rsp)		/* ip: F + 8 (rsp was F - 48) */
	pushq	88(%rsp)		/* sp: F + 32 (rsp was F - 56) */
	PUSH_GPRS
	movq	%rsp, %rdi
	movq	%rsp, %rbx		/* callee-saved: the regs across the call */
	andq	$-16, %rsp
	cld
	call	xen_gp_fallback
	movq	%rbx, %rsp
	POP_GPRS
	leaq	64(%rsp), %rsp		/* sp, ip, flags, gap[4], ret: back at F */
1:	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	movl	$13, %edi
	jmp	xen_route_common
	.size	xen_trap_13, . - xen_trap_13

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
 * pushfq, patched: "call xen_pushf_stub".  Pushes what pushfq would at
 * CPL 0, as libprevirt's previrt_vcpu_flags() computes it: the PV_FL_REAL
 * bits of the real flags, the guest's IF (the event mask) and AC (the
 * virtual CPU's), the rest zero; the real flags are left as they were.
 * The call's return address and the pushed word trade places so that
 * the stack ends one word lower, as after pushfq.
 *	entry: [rsp] = ret			exit: [rsp] = flags
 */
	.globl	xen_pushf_stub
	.type	xen_pushf_stub, @function
xen_pushf_stub:
	pushfq				/* F: the real flags */
	pushq	%rax
	movq	8(%rsp), %rax
	andq	$PV_FL_REAL, %rax	/* IF and AC: the guest's, below */
	orq	$PV_FL_FIXED, %rax
	cmpb	$0, xen_shared_page+1(%rip)	/* evtchn_upcall_mask */
	jne	1f
	orq	$PV_FL_IF, %rax
1:	cmpl	$0, xen_vmm+XEN_VMM_AC_FLAG(%rip)
	je	2f
	orq	$PV_FL_AC, %rax
2:	xchgq	%rax, 16(%rsp)		/* the pushed word; rax = ret */
	xchgq	%rax, 8(%rsp)		/* ret below it; rax = F */
	pushq	%rax
	movq	8(%rsp), %rax
	popfq				/* F again: the arithmetic flags as they were */
	leaq	8(%rsp), %rsp		/* (lea: flags untouched) */
	ret
	.size	xen_pushf_stub, . - xen_pushf_stub

/*
 * popfq, patched: "call xen_popf_stub".  Takes IF into the event mask
 * and AC into the virtual CPU, the PV_FL_REAL bits into the real flags
 * (previrt_vcpu_load_flags, the one mask); an event that came in while IF
 * was clear is delivered now.
 *	entry: [rsp] = ret, [rsp+8] = flags	exit: both gone
 */
	.globl	xen_popf_stub
	.type	xen_popf_stub, @function
xen_popf_stub:
	pushq	%rax
	movq	16(%rsp), %rax
	testl	$PV_FL_AC, %eax
	setnz	xen_vmm+XEN_VMM_AC_FLAG(%rip)
	testl	$PV_FL_IF, %eax
	setz	xen_shared_page+1(%rip)	/* mask = !IF */
	jz	1f
	cmpb	$0, xen_shared_page(%rip)	/* evtchn_upcall_pending */
	je	1f
	call	xen_force_upcall	/* on the guest's own stack: it may nest */
1:	movq	16(%rsp), %rax
	andq	$PV_FL_REAL, %rax	/* IF and IOPL are Xen's, AC virtual */
	orq	$(PV_FL_IF | PV_FL_FIXED), %rax
	xchgq	%rax, 8(%rsp)		/* the flags where ret was; rax = ret */
	movq	%rax, 16(%rsp)		/* ret where the flags were */
	popq	%rax
	popfq
	ret
	.size	xen_popf_stub, . - xen_popf_stub

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
 * iretq and sysretq, patched: "jmp" here, not "call": sysretq runs on the
 * user's stack, which the kernel's real page tables need not map, so
 * nothing may be pushed there.  Events are masked, the guest's registers
 * saved as a struct previrt_regs on a stack of the VMM's own, and the C
 * side (xen-user.c) leaves for wherever the instruction was going.
 */
.macro KRET_STUB name, handler
	.globl	\name
	.type	\name, @function
\name:
	movb	$1, xen_shared_page+1(%rip)	/* evtchn_upcall_mask of vCPU 0 */
	movq	%rsp, xen_kret_sp(%rip)
	leaq	xen_kret_stack_top(%rip), %rsp
	leaq	-40(%rsp), %rsp		/* ip and gap: filled in by C */
	pushfq
	pushq	xen_kret_sp(%rip)
	PUSH_GPRS
	movq	%rsp, %rdi
	cld
	call	\handler
	ud2				/* the handlers do not return */
	.size	\name, . - \name
.endm
	KRET_STUB xen_iret_stub, xen_kret_iret
	KRET_STUB xen_sysret_stub, xen_kret_sysret

/*
 * syscall from user mode (Xen's syscall callback): the frame is Xen's,
 * with the user's rcx and r11 on top, which hold the user rip and rflags
 * as syscall leaves them.  xen_syscall_c() sets the virtual CPU up; we
 * continue at the guest's LSTAR on the user's stack, as the CPU does.
 */
	.globl	xen_syscall_entry
	.type	xen_syscall_entry, @function
xen_syscall_entry:
	popq	%rcx
	popq	%r11
	pushq	%rax
	pushq	%rdi
	pushq	%rsi
	pushq	%rdx
	pushq	%rcx
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	leaq	SAVED(%rsp), %rdi
	pushq	%rbp
	movq	%rsp, %rbp
	andq	$-16, %rsp
	cld
	call	xen_syscall_c
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
	popq	%rax
	movq	xen_syscall_rsp(%rip), %rsp
	jmp	*xen_syscall_target(%rip)
	.size	xen_syscall_entry, . - xen_syscall_entry

/*
 * xen_iret_to_user(regs, ctx): every register from regs but rax, rcx and
 * r11, which HYPERVISOR_iret takes from ctx (a struct iret_context, the
 * stack it pops), and off to user mode.
 */
	.globl	xen_iret_to_user
	.type	xen_iret_to_user, @function
xen_iret_to_user:
	movq	%rsi, %rsp
	movq	0(%rdi), %r15
	movq	8(%rdi), %r14
	movq	16(%rdi), %r13
	movq	24(%rdi), %r12
	movq	40(%rdi), %r10
	movq	48(%rdi), %r9
	movq	56(%rdi), %r8
	movq	72(%rdi), %rsi
	movq	80(%rdi), %rbp
	movq	88(%rdi), %rbx
	movq	96(%rdi), %rdx
	movq	64(%rdi), %rdi
	movl	$23, %eax		/* __HYPERVISOR_iret */
	syscall
	ud2
	.size	xen_iret_to_user, . - xen_iret_to_user

/*
 * xen_regs_resume(regs, unmask): load every register from a struct
 * previrt_regs and continue at regs->ip with regs->sp.  As in the
 * dispatcher, the caller has put {flags, ip} at regs->sp, just below the
 * target stack.  With unmask, events are unmasked only once %rsp is on
 * the target stack, so that an upcall in the last instructions nests
 * there and not on the stack the registers came from (the VMM's); one
 * that came in while they were masked is asked for right away.
 */
.macro POP_REGS
	POP_GPRS
	popq	%rsp
.endm
	.globl	xen_regs_resume
	.type	xen_regs_resume, @function
xen_regs_resume:
	movq	%rdi, %rsp
	testl	%esi, %esi
	jnz	1f
	POP_REGS
	popfq
	ret
1:	POP_REGS
	movb	$0, xen_shared_page+1(%rip)	/* evtchn_upcall_mask */
	cmpb	$0, xen_shared_page(%rip)	/* evtchn_upcall_pending */
	je	2f
	pushq	%rax
	call	xen_force_upcall
	popq	%rax
2:	popfq				/* the flags cmpb changed come back here */
	ret
	.size	xen_regs_resume, . - xen_regs_resume

	.bss
	.balign	16
	.skip	32768
	.globl	xen_boot_stack_top
xen_boot_stack_top:
	.skip	4096
xen_kret_stack_top:
	.balign	8
xen_kret_sp:
	.quad	0

	.section .note.GNU-stack, "", @progbits
