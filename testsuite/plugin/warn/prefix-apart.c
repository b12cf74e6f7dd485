/*
 * A prefix that cannot join its instruction's site: a label or a directive
 * stands between them, or the template ends with it (the popf after a
 * refused pushf has no prefix and is annotated). Each site is refused
 * with a warning naming the line (run-options.sh checks the texts).
 */
/* EXPECT: cli 1 */
/* EXPECT: popf 1 */
/* EXPECT-WARN: 4 */

static unsigned char buf[16];

void fx_prefix_apart(void)
{
	asm volatile("rep\n1:\tinsb" : : "d" (0x80), "D" (buf) : "memory");
	asm volatile("rep\n.if 1\n\tinsb\n.endif" : : "d" (0x80), "D" (buf) : "memory");
	asm volatile(".byte 0x66\n.p2align 0\n\tpushf\n\tpopf" : : : "memory", "cc");
	asm volatile("cli\n\tlock" : : : "memory");
	asm volatile("incl %0" : "+m" (buf[0]));
}
