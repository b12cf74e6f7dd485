/* 16-bit code is never annotated: each sensitive instruction is said, with
 * its line, and the object is what gas alone makes of it. */
/* EXPECT-NONE */
/* EXPECT-WARN: 3 */
/* EXPECT-NOTE: code16.S:9: note: previrt: real-mode: 'cli' in .code16 */
	.code16
	.text
	.globl	pv_as_code16
pv_as_code16:	cli
	mov	%ax, %ss
	lidt	(%bx)
	ret
