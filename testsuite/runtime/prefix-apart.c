// SPDX-License-Identifier: MIT
/*
 * Prefixes written apart from their instruction, as a C user writes them,
 * for check-verdicts.sh: compiled with the plugin and linked with
 * fixture-validate.c, the runtime must refuse the three split sites (the
 * processor runs rep insb, rep insb again, and pushfw) and keep the last
 * one, where the 0x66 before cli is the immediate of a whole instruction
 * the plugin saw.  Never called: only patched.
 */
void split_rep_byte(void *buf, unsigned short port);
void split_rep_if(void *buf, unsigned short port);
unsigned long split_opsize(void);
void whole_after_imm66(void);

void split_rep_byte(void *buf, unsigned short port)
{
	asm volatile(".byte 0xf3\n\tinsb" : "+D"(buf) : "d"(port), "c"(4) : "memory");
}

void split_rep_if(void *buf, unsigned short port)
{
	asm volatile("rep\n\t.if 1\n\tinsb\n\t.endif" : "+D"(buf) : "d"(port), "c"(4) : "memory");
}

unsigned long split_opsize(void)
{
	unsigned long f;

	asm volatile(".byte 0x66\n\tpushf\n\tpop %w0" : "=r"(f));
	return f;
}

void whole_after_imm66(void)
{
	asm volatile("mov $0x66, %%al\n\tcli" ::: "eax");
}
