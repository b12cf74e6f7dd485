/*
 * Templates read the way gas reads them. The sites below are found where
 * gas would see the instruction (comments, character constants, quoted
 * labels, long statements); what previrt cannot read (data in code, macros
 * built from their arguments, Intel syntax, a section of unknown flags) draws
 * one warning each, never silence. run-options.sh checks the texts.
 */
/* EXPECT: cli 1 */
/* EXPECT: sti 1 */
/* EXPECT: hlt 1 */
/* EXPECT: pushf 1 */
/* EXPECT: cr 1 */
/* EXPECT-WARN: 10 */

#define S10 "          "
#define S300 S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 \
	     S10 S10 S10 S10 S10 S10 S10 S10 S10 S10 \
	     S10 S10 S10 S10 S10 S10 S10 S10 S10 S10

asm(".macro PV_IRQOFF\n\tcli\n.endm\n"
    ".macro pv_do insn\n\t\\insn\n.endm\n"
    ".pushsection .pv_fix2, \"ax\"\n\tnop\n.popsection\n");

__attribute__((noinline)) void fx_gas_reads(unsigned long v)
{
	asm volatile("nop # a /* is no comment here\n\tcli" : : : "memory");
	asm volatile("/ a line comment; sti\n\thlt" : : : "memory");
	asm volatile("movb $'#, %%al; sti" : : : "eax", "memory");
	asm volatile("\"pv q;l\": pushf; pop %0" : "=r" (v));
	asm volatile("mov %0," S300 "%%cr3" : : "r" (v) : "memory");
}

void fx_gas_data(void)
{
	asm volatile(".ascii \"\\xfa\"" : : : "memory");
	asm volatile(".balign 4, 0xfb" : : : "memory");
	asm volatile(".fill 1, 1, 0xf4" : : : "memory");
	asm volatile(".2byte 0x300f" : : : "memory");
}

void fx_gas_macros(void)
{
	asm volatile("pv_irqoff" : : : "memory");
	asm volatile("pv_do sti" : : : "memory");
	asm volatile(".irp i, sti, hlt\n\t\\i\n.endr" : : : "memory");
	asm volatile(".intel_syntax noprefix\n\tmov dx, ds\n.att_syntax prefix" : : : "edx");
}

void fx_gas_sections(void)
{
	asm volatile(".pushsection .pv_fix\n\tsti\n.popsection" : : : "memory");
	asm volatile(".pushsection .pv_fix2\n\thlt\n.popsection" : : : "memory");
}
