/* SPDX-License-Identifier: MIT */
/*
 * Kernel side of user mode, as top-level asm so that the plugin pads its
 * sysretq and iretq: user_enter(entry, user_rsp, arg) drops to CPL 3 at
 * entry with interrupts on through sysretq, user_enter_iret the same
 * through an iretq frame; the user program's syscall lands in
 * syscall_entry, which records the registers a program reports in and
 * returns from user_enter(_iret) as if it were an ordinary call.
 */
#include "desc.h"
#include "user.h"

#define STR_(x) #x
#define STR(x) STR_(x)

struct user_regs user_regs;
uint64_t user_saved_rsp;	/* kernel stack pointer inside user_enter */

__asm__(
	".text\n"
	".globl user_enter\n"
	"user_enter:\n\t"
	"pushq %rbx\n\t" "pushq %rbp\n\t" "pushq %r12\n\t"
	"pushq %r13\n\t" "pushq %r14\n\t" "pushq %r15\n\t"
	"movq %rsp, user_saved_rsp(%rip)\n\t"
	"movq %rdi, %rcx\n\t"		/* sysret: rip from rcx */
	"movq $0x202, %r11\n\t"		/* sysret: rflags from r11 (IF set) */
	"movq %rsi, %rsp\n\t"
	"movq %rdx, %rdi\n\t"		/* the program's argument */
	"xorl %eax, %eax\n\t"
	"xorl %edx, %edx\n\t"
	"sysretq\n"

	".globl user_enter_iret\n"
	"user_enter_iret:\n\t"
	"pushq %rbx\n\t" "pushq %rbp\n\t" "pushq %r12\n\t"
	"pushq %r13\n\t" "pushq %r14\n\t" "pushq %r15\n\t"
	"movq %rsp, user_saved_rsp(%rip)\n\t"
	"pushq $" STR(SEL_USER_DATA) "\n\t"	/* ss */
	"pushq %rsi\n\t"			/* rsp */
	"pushq $0x202\n\t"			/* rflags: IF set */
	"pushq $" STR(SEL_USER_CODE64) "\n\t"	/* cs */
	"pushq %rdi\n\t"			/* rip */
	"movq %rdx, %rdi\n\t"
	"xorl %eax, %eax\n\t"
	"xorl %edx, %edx\n\t"
	"iretq\n"

	".globl syscall_entry\n"
	"syscall_entry:\n\t"		/* CPL 0, IF masked, user rsp still loaded */
	"movq %rbx, user_regs+0(%rip)\n\t"
	"movq %r12, user_regs+8(%rip)\n\t"
	"movq %r13, user_regs+16(%rip)\n\t"
	"movq %r14, user_regs+24(%rip)\n\t"
	"movq %rcx, user_regs+32(%rip)\n\t"
	"movq %r11, user_regs+40(%rip)\n\t"
	"movq user_saved_rsp(%rip), %rsp\n\t"
	"popq %r15\n\t" "popq %r14\n\t" "popq %r13\n\t"
	"popq %r12\n\t" "popq %rbp\n\t" "popq %rbx\n\t"
	"ret\n"
);
