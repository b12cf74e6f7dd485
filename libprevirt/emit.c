// SPDX-License-Identifier: MIT
/*
 * Building blocks for backends' inline emitters (enum previrt_fill
 * INLINE).  An emitter fills a buffer the size of the sled; the core
 * writes it.  Everything here is relative to where the sled is, checks
 * that a rel32 reaches, and pads the rest of the sled with canonical
 * NOPs, so that the sequence falls through to the sled's end.
 */
#include "internal.h"

int pv_put_rel32(unsigned char *out4, unsigned long next, unsigned long target)
{
	long rel = (long)(target - next);
	unsigned int i;

	if (rel != (long)(int)rel)
		return -1;
	for (i = 0; i < 4; i++)
		out4[i] = (unsigned char)((unsigned long)rel >> (8 * i));
	return 0;
}

static int rel32_from(const struct previrt_sled *sled, unsigned int next_off, const void *target,
		      unsigned char *out4)
{
	return pv_put_rel32(out4, (unsigned long)sled->addr + next_off, (unsigned long)target);
}

void previrt_emit_pad(unsigned char *out, const struct previrt_sled *sled, unsigned int from)
{
	if (from < sled->site->sled_len)
		pv_x86_fill_nops(out + from, sled->site->sled_len - from);
}

/* One opcode byte and a rel32 to target (call, jmp), then the padding. */
static int emit_rel32_insn(unsigned char *out, const struct previrt_sled *sled,
			   unsigned char opcode, const void *target)
{
	if (sled->site->sled_len < 5)
		return -1;
	out[0] = opcode;
	if (rel32_from(sled, 5, target, out + 1))
		return -1;
	previrt_emit_pad(out, sled, 5);
	return 0;
}

int previrt_emit_call(unsigned char *out, const struct previrt_sled *sled, const void *target)
{
	return emit_rel32_insn(out, sled, 0xe8, target);
}

int previrt_emit_jmp(unsigned char *out, const struct previrt_sled *sled, const void *target)
{
	return emit_rel32_insn(out, sled, 0xe9, target);
}

int previrt_emit_store_byte(unsigned char *out, const struct previrt_sled *sled,
			    const void *target, unsigned char value)
{
	if (sled->site->sled_len < 7)
		return -1;
#ifdef __x86_64__
	out[0] = 0xc6;	/* movb $imm8, rel32(%rip) */
	out[1] = 0x05;
	if (rel32_from(sled, 7, target, out + 2))
		return -1;
#else
	{
		unsigned long a = (unsigned long)target;
		unsigned int i;

		out[0] = 0xc6;	/* movb $imm8, abs32 */
		out[1] = 0x05;
		for (i = 0; i < 4; i++)
			out[2 + i] = (unsigned char)(a >> (8 * i));
	}
#endif
	out[6] = value;
	previrt_emit_pad(out, sled, 7);
	return 0;
}
