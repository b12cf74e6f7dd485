/* SPDX-License-Identifier: MIT */
/*
 * Kernel side of user mode in the i386 build (user-entry.c is the x86-64
 * one), as top-level asm so that the plugin pads its iret and segment
 * loads: user_enter_iret(entry, user_esp, arg) drops to CPL 3 at entry
 * through an iret frame, with the user data selector in ds/es (an iret to
 * CPL 3 would null a DPL 0 one) and interrupts on. The program's int $0x80
 * lands in user_int80_entry (a DPL 3 interrupt gate, so IF is clear on
 * entry), which records what the program reports, takes the user eip and
 * eflags from the frame, reloads the kernel's data segments and returns
 * from user_enter_iret as if it were an ordinary call.
 */
#include "desc.h"
#include "user.h"

#define STR_(x) #x
#define STR(x) STR_(x)

struct user_regs user_regs;
uint32_t user_saved_esp;	/* kernel stack pointer inside user_enter_iret */

__asm__(
	".text\n"
	".globl user_enter_iret\n"
	"user_enter_iret:\n\t"		/* cdecl: 4(%esp) entry, 8 user_esp, 12 arg */
	"pushl %ebx\n\t" "pushl %ebp\n\t" "pushl %esi\n\t" "pushl %edi\n\t"
	"movl %esp, user_saved_esp\n\t"
	"movl 20(%esp), %ecx\n\t"	/* entry */
	"movl 24(%esp), %edx\n\t"	/* user esp */
	"movl 28(%esp), %edi\n\t"	/* the program's argument */
	"movl $" STR(SEL_USER_DATA) ", %eax\n\t"
	"movl %eax, %ds\n\t"
	"movl %eax, %es\n\t"
	"pushl $" STR(SEL_USER_DATA) "\n\t"	/* ss */
	"pushl %edx\n\t"			/* esp */
	"pushl $0x202\n\t"			/* eflags: IF set */
	"pushl $" STR(SEL_USER_CODE64) "\n\t"	/* cs */
	"pushl %ecx\n\t"			/* eip */
	"xorl %eax, %eax\n\t"
	"xorl %edx, %edx\n\t"
	"iret\n"

	".globl user_int80_entry\n"
	"user_int80_entry:\n\t"		/* CPL 0 on TSS.ESP0: eip, cs, eflags, esp, ss */
	"movl %ebx, %ss:user_regs+0\n\t"
	"movl %esi, %ss:user_regs+8\n\t"
	"movl %edi, %ss:user_regs+16\n\t"
	"movl %ebp, %ss:user_regs+24\n\t"
	"movl (%esp), %eax\n\t"
	"movl %eax, %ss:user_regs+32\n\t"	/* user eip after int $0x80 */
	"movl 8(%esp), %eax\n\t"
	"movl %eax, %ss:user_regs+40\n\t"	/* user eflags */
	"xorl %eax, %eax\n\t"			/* high halves of the 64-bit fields */
	"movl %eax, %ss:user_regs+4\n\t" "movl %eax, %ss:user_regs+12\n\t"
	"movl %eax, %ss:user_regs+20\n\t" "movl %eax, %ss:user_regs+28\n\t"
	"movl %eax, %ss:user_regs+36\n\t" "movl %eax, %ss:user_regs+44\n\t"
	"movl $" STR(SEL_DATA) ", %eax\n\t"
	"movl %eax, %ds\n\t"
	"movl %eax, %es\n\t"
	"movl user_saved_esp, %esp\n\t"
	"popl %edi\n\t" "popl %esi\n\t" "popl %ebp\n\t" "popl %ebx\n\t"
	"ret\n"
);
