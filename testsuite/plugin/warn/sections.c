/*
 * Code that runs where it lies but outside the function's own section is not
 * annotated (the runtime patches sites, not sections it cannot see the end
 * of) and must not be skipped silently: each sensitive instruction there
 * draws a warning.
 */
/* EXPECT: cli 1 */
/* EXPECT: sti 1 */
/* EXPECT-WARN: 2 */

void fx_fixup(void)
{
	asm volatile("1: cli\n"
		     ".section .fixup, \"ax\"\n"
		     "2: sti\n"
		     "   hlt\n"
		     "   jmp 1b\n"
		     ".previous\n"
		     "sti" : : : "memory");
}
