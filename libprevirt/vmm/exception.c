// SPDX-License-Identifier: MIT
/*
 * Exception vectors and the guest's tables: which vectors push an error
 * code (the one table every backend uses), what a gate of the guest's IDT
 * says (read through the virtual IDTR), and the stack its TSS gives for
 * an entry from user mode (through the virtual GDTR and TR).
 */
#include <previrt/vcpu.h>

/*
 * SDM vol. 3A 6.15 and APM vol. 2 8.2: #DF(8), #TS(10), #NP(11), #SS(12),
 * #GP(13), #PF(14), #AC(17) and #CP(21); AMD adds #VC(29, the SEV-ES exit
 * code) and #SX(30), which Intel reserves (a reserved vector is never
 * raised there, so the bit costs nothing).  #HV(28) and #VE(20) push none.
 * External interrupts and software "int n" never push one, whatever the
 * vector: callers pass has_error themselves for those.
 */
#define ERROR_CODE_VECTORS \
	(1u << PV_VEC_DF | 1u << PV_VEC_TS | 1u << PV_VEC_NP | 1u << PV_VEC_SS | \
	 1u << PV_VEC_GP | 1u << PV_VEC_PF | 1u << PV_VEC_AC | 1u << PV_VEC_CP | \
	 1u << PV_VEC_VC | 1u << PV_VEC_SX)

int previrt_vector_has_error(unsigned int vector)
{
	return vector < PV_VEC_EXCEPTIONS && ((ERROR_CODE_VECTORS >> vector) & 1);
}

int previrt_idt_gate(const struct previrt_vcpu *v, unsigned int vector, unsigned int bits,
		     struct previrt_gate *g)
{
	unsigned int size = bits == 64 ? 16 : 8;
	const volatile uint8_t *p;
	uint8_t access;

	if (!v->idtr.base || vector > 255 || vector * size + size - 1 > v->idtr.limit)
		return -1;
	p = (const volatile uint8_t *)v->idtr.base + vector * size;
	access = p[5];
	if (!(access & PV_DESC_PRESENT))
		return -1;
	g->type = access & PV_GATE_TYPE_MASK;
	if (g->type != PV_GATE_INTR && g->type != PV_GATE_TRAP)
		return -1;	/* task gates and 16-bit gates: not modelled */
	g->dpl = (access >> PV_DESC_DPL_SHIFT) & 3;
	g->interrupt = g->type == PV_GATE_INTR;
	g->sel = (uint16_t)(p[2] | p[3] << 8);
	g->handler = (unsigned long)(p[0] | p[1] << 8) | (unsigned long)(p[6] | p[7] << 8) << 16;
#if defined(__x86_64__)
	if (bits == 64)
		g->handler |= (unsigned long)(p[8] | p[9] << 8 | p[10] << 16 |
					      (uint32_t)p[11] << 24) << 32;
#endif
	return 0;
}

unsigned long previrt_tss_sp0(const struct previrt_vcpu *v, unsigned int bits)
{
	unsigned int sel = v->tr & ~7u;
	unsigned int size = bits == 64 ? 16 : 8;	/* a long-mode TSS descriptor is 16 bytes */
	const volatile uint8_t *d;
	unsigned long base;

	if (!sel || !v->gdtr.base || sel + size - 1 > v->gdtr.limit)
		return 0;
	d = (const volatile uint8_t *)v->gdtr.base + sel;
	base = (unsigned long)(d[2] | d[3] << 8 | d[4] << 16) | (unsigned long)d[7] << 24;
#if defined(__x86_64__)
	if (bits == 64)
		base |= (unsigned long)(d[8] | d[9] << 8 | d[10] << 16 | (uint32_t)d[11] << 24) << 32;
#endif
	/* RSP0 (64-bit TSS) and ESP0 (32-bit TSS) both sit at offset 4 */
	return (unsigned long)previrt_mem_read(base + 4, bits == 64 ? 8 : 4);
}
