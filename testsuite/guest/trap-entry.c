/* SPDX-License-Identifier: MIT */
/*
 * The IDT entry stubs, as top-level asm in a C file so that the previrt
 * plugin sees (and pads) the iretq that ends every exception.
 *
 * Each stub pushes a zero where the CPU pushes no error code, then its
 * vector, and joins trap_common, which saves the general registers, calls
 * trap_dispatch(frame) and returns with iretq. A table of (vector, stub)
 * pairs lets trap.c fill the IDT without knowing the stubs' layout.
 */
#ifdef __x86_64__
#define STUB(v, push_error)					\
	".balign 16\n"						\
	"trap_stub_" #v ":\n\t"					\
	push_error						\
	"pushq $" #v "\n\t"					\
	"jmp trap_common\n"					\
	".pushsection .rodata.trap_stubs, \"a\"\n\t"		\
	".quad " #v ", trap_stub_" #v "\n"			\
	".popsection\n"
#define NOERR(v)	STUB(v, "pushq $0\n\t")
#define ERR(v)		STUB(v, "")	/* the CPU pushed an error code */

__asm__(
	".pushsection .rodata.trap_stubs, \"a\"\n"
	".balign 8\n"
	".globl trap_stub_table\n"
	"trap_stub_table:\n"
	".popsection\n"
	".text\n"
	NOERR(0) NOERR(1) NOERR(2) NOERR(3) NOERR(4) NOERR(5) NOERR(6) NOERR(7)
	ERR(8) NOERR(9) ERR(10) ERR(11) ERR(12) ERR(13) ERR(14) NOERR(15)
	NOERR(16) ERR(17) NOERR(18) NOERR(19) NOERR(20) ERR(21) NOERR(22) NOERR(23)
	NOERR(24) NOERR(25) NOERR(26) NOERR(27) NOERR(28) ERR(29) ERR(30) NOERR(31)
	NOERR(32) NOERR(33) NOERR(34) NOERR(35) NOERR(36) NOERR(37) NOERR(38) NOERR(39)
	NOERR(40) NOERR(41) NOERR(42) NOERR(43) NOERR(44) NOERR(45) NOERR(46) NOERR(47)
	NOERR(48) NOERR(255)
	".pushsection .rodata.trap_stubs, \"a\"\n"
	".globl trap_stub_table_end\n"
	"trap_stub_table_end:\n"
	".popsection\n"

	"trap_common:\n\t"
	"pushq %rax\n\t" "pushq %rbx\n\t" "pushq %rcx\n\t" "pushq %rdx\n\t"
	"pushq %rsi\n\t" "pushq %rdi\n\t" "pushq %rbp\n\t" "pushq %r8\n\t"
	"pushq %r9\n\t" "pushq %r10\n\t" "pushq %r11\n\t" "pushq %r12\n\t"
	"pushq %r13\n\t" "pushq %r14\n\t" "pushq %r15\n\t"
	"movq %rsp, %rdi\n\t"
	"cld\n\t"			/* the C ABI wants DF clear */
	"call trap_dispatch\n\t"
	"popq %r15\n\t" "popq %r14\n\t" "popq %r13\n\t" "popq %r12\n\t"
	"popq %r11\n\t" "popq %r10\n\t" "popq %r9\n\t" "popq %r8\n\t"
	"popq %rbp\n\t" "popq %rdi\n\t" "popq %rsi\n\t" "popq %rdx\n\t"
	"popq %rcx\n\t" "popq %rbx\n\t" "popq %rax\n\t"
	"addq $16, %rsp\n\t"		/* vector and error code */
	"iretq\n"
);
#else
/*
 * i386: the same stubs with 32-bit pushes and table words; trap_common
 * saves with pushal and passes the frame on the stack (cdecl).
 */
#define STUB(v, push_error)					\
	".balign 16\n"						\
	"trap_stub_" #v ":\n\t"					\
	push_error						\
	"pushl $" #v "\n\t"					\
	"jmp trap_common\n"					\
	".pushsection .rodata.trap_stubs, \"a\"\n\t"		\
	".long " #v ", trap_stub_" #v "\n"			\
	".popsection\n"
#define NOERR(v)	STUB(v, "pushl $0\n\t")
#define ERR(v)		STUB(v, "")	/* the CPU pushed an error code */

__asm__(
	".pushsection .rodata.trap_stubs, \"a\"\n"
	".balign 4\n"
	".globl trap_stub_table\n"
	"trap_stub_table:\n"
	".popsection\n"
	".text\n"
	NOERR(0) NOERR(1) NOERR(2) NOERR(3) NOERR(4) NOERR(5) NOERR(6) NOERR(7)
	ERR(8) NOERR(9) ERR(10) ERR(11) ERR(12) ERR(13) ERR(14) NOERR(15)
	NOERR(16) ERR(17) NOERR(18) NOERR(19) NOERR(20) ERR(21) NOERR(22) NOERR(23)
	NOERR(24) NOERR(25) NOERR(26) NOERR(27) NOERR(28) ERR(29) ERR(30) NOERR(31)
	NOERR(32) NOERR(33) NOERR(34) NOERR(35) NOERR(36) NOERR(37) NOERR(38) NOERR(39)
	NOERR(40) NOERR(41) NOERR(42) NOERR(43) NOERR(44) NOERR(45) NOERR(46) NOERR(47)
	NOERR(48) NOERR(255)
	".pushsection .rodata.trap_stubs, \"a\"\n"
	".globl trap_stub_table_end\n"
	"trap_stub_table_end:\n"
	".popsection\n"

	"trap_common:\n\t"
	"pushal\n\t"
	"movl %esp, %eax\n\t"
	"pushl %eax\n\t"		/* trap_dispatch(frame) */
	"cld\n\t"
	"call trap_dispatch\n\t"
	"addl $4, %esp\n\t"
	"popal\n\t"
	"addl $8, %esp\n\t"		/* vector and error code */
	"iret\n"
);
#endif

