/*
 * What the plugin cannot see through is never guessed at: each of these draws
 * a warning naming the line, and the text is left as it was.
 */
/* EXPECT-WARN: 4 */

asm(".macro fx_irqoff\n"
    "\tcli\n"
    ".endm\n");

void fx_unknown(void)
{
	/* An encoding not in the table (0f 01 c7: no instruction). */
	asm volatile(".byte 0x0f,0x01,0xc7" : : : "memory");
	/* lgdt with a ModRM operand, as bytes. */
	asm volatile(".byte 0x0f,0x01,0x10" : : : "memory");
	/* An asm macro whose body is sensitive. */
	asm volatile("fx_irqoff" : : : "memory");
	/* Dialect alternatives: which one gas sees depends on -masm. */
	asm volatile("{cli|cli}" : : : "memory");
}
