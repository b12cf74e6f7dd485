/* Sleds inside .macro bodies: each expansion its own sled and record;
 * .rept and .irp bodies likewise; a body whose mnemonic is an argument is
 * judged where it is invoked, by the argument written there. */
/* EXPECT: cli 3 */
/* EXPECT: swapgs 0 */
/* EXPECT: popf 2 */
/* EXPECT: hlt 4 */
/* EXPECT: pushf 2 */
/* EXPECT: msr 2 */
/* EXPECT: cr 2 */
/* EXPECT: tsc 1 */
/* EXPECT-WARN: 1 */
/* EXPECT-NOTE: macros.S:59: note: previrt: opaque-mnemonic: */
#ifdef __x86_64__
# define AX %rax
#else
# define AX %eax
#endif
	.macro	IRQ_OFF
	cli
	.endm

	.macro	SAVE_FLAGS_AND reg
	pushf
	pop	\reg
	.endm

	.macro	LOAD_ROOT reg
	mov	\reg, %cr3
	.endm

	.macro	RESTORE_FLAGS
	push	AX
	popf
	.endm

	.macro	DO insn
	\insn
	.endm

	.text
	.globl	pv_as_macros
pv_as_macros:
	IRQ_OFF
	IRQ_OFF
	IRQ_OFF
	SAVE_FLAGS_AND AX
	SAVE_FLAGS_AND AX
	RESTORE_FLAGS
	RESTORE_FLAGS
	LOAD_ROOT AX
	LOAD_ROOT AX
	DO rdtsc
	DO nop
	.rept	3
	hlt
	.endr
	.irp	insn, rdmsr, wrmsr
	\insn
	.endr
	.irp	n, 1
	hlt
	.endr
	rdmsr
	wrmsr
	ret
