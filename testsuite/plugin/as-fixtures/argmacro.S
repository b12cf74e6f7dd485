/* A macro whose mnemonic is its argument (Linux's msr-reg.S): the file's own
 * invocations say which values it takes; each sensitive one gets an .ifc
 * branch with its sled, any other value assembles as written. A macro passed
 * a value of several words gets no chain: each sensitive one is said where
 * it is passed. */
/* EXPECT: msr 2 */
/* EXPECT: cpuid 1 */
/* EXPECT-WARN: 1 */
/* EXPECT-NOTE: argmacro.S:36: note: previrt: asm-macro: asm macro argument 'clts' */
	.macro	op_safe_regs op
	.globl	\op\()_safe
\op\()_safe:
1:	\op
2:	ret
	.pushsection .discard.extable, "a"
	.long	1b - ., 2b - .
	.popsection
	.endm

	.macro	TWICE insn
	\insn
	\insn
	.endm

	.text
	op_safe_regs rdmsr
	op_safe_regs wrmsr
	op_safe_regs nop
	.macro	ONE insn
	\insn
	.endm
	ONE	cpuid
	.macro	ONE_MORE insn
	\insn
	.endm
	ONE_MORE "clts; nop"
	TWICE	nop
