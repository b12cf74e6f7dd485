/* Code copied elsewhere before it runs, and data, are left alone: Linux's
 * alternative replacements (a pushsection block and the ALTERNATIVE-style
 * macro that writes one), exception tables, data with sensitive bytes. */
/* EXPECT: cli 1 */
/* EXPECT: sti 1 */
/* EXPECT-WARN: 0 */
	.macro	ALT_LIKE old, new
140:	\old
141:	.pushsection .altinstr_replacement, "ax"
142:	\new
143:	.popsection
	.pushsection .altinstructions, "a"
	.long	140b - ., 142b - .
	.byte	141b - 140b, 143b - 142b
	.popsection
	.endm

	.text
	.globl	pv_as_altern
pv_as_altern:
	cli
	.pushsection .altinstr_replacement, "ax"
	stac
	rdtscp
	.popsection
	ALT_LIKE "nop", "nop"
	.section .data
	.byte	0xfa, 0xfb
	.long	0x90909090
	.previous
	sti
	nop
	ret
