/* SPDX-License-Identifier: MIT */
/*
 * Exceptions and interrupts delivered to the guest's own IDT (i386).
 *
 * The L4 kernel sends the guest's exceptions to the VMM thread and its
 * page faults to the VMM thread as pager; virtual interrupts arise inside
 * the VMM (the virtual local APIC). Each ends here: find the gate in the
 * IDT the guest loaded (the virtual IDTR), and build on the guest's stack
 * the frame the CPU would push: eflags, cs, eip (and the error code),
 * preceded by the interrupted ss:esp and taken on the stack the guest's
 * TSS names when the guest was at CPL 3. The flags in the frame are the
 * guest's (its virtual IF), the selectors the guest's own (the real ones
 * are the L4 kernel's). An interrupt gate clears the virtual IF.
 *
 * All of this runs while the guest's virtual CPU thread is stopped (in an
 * IPC to the VMM thread, or inside the dispatcher on its own behalf), so
 * the state it changes is never seen half-written.
 */
#include "l4-backend.h"

#define GATE_PRESENT	0x80
#define GATE_TYPE_MASK	0x0f
#define GATE_INTR32	0x0e
#define GATE_TRAP32	0x0f

int l4_vector_has_error(unsigned int vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21;
}

static int read_gate(unsigned int vector, l4_word_t *handler, int *intr, unsigned int *dpl)
{
	const struct previrt_dtr *idtr = &l4_vmm.cpu.idtr;
	const volatile uint8_t *g;
	uint8_t type;

	if (!idtr->base || vector * 8 + 7 > idtr->limit)
		return -1;
	g = (const volatile uint8_t *)idtr->base + vector * 8;
	type = g[5];
	if (!(type & GATE_PRESENT))
		return -1;
	if ((type & GATE_TYPE_MASK) != GATE_INTR32 && (type & GATE_TYPE_MASK) != GATE_TRAP32)
		return -1;	/* task gates and 16-bit gates: not modelled */
	*handler = (l4_word_t)(g[0] | g[1] << 8) | (l4_word_t)(g[6] | g[7] << 8) << 16;
	*intr = (type & GATE_TYPE_MASK) == GATE_INTR32;
	*dpl = (type >> 5) & 3;
	return 0;
}

/* The ring-0 stack of the guest's TSS (the virtual TR): 0 when it has none. */
static l4_word_t tss_esp0(void)
{
	const struct previrt_dtr *gdtr = &l4_vmm.cpu.gdtr;
	unsigned int sel = l4_vmm.cpu.tr & ~7u;
	const volatile uint8_t *d, *tss;

	if (!sel || !gdtr->base || sel + 7 > gdtr->limit)
		return 0;
	d = (const volatile uint8_t *)gdtr->base + sel;
	tss = (const volatile uint8_t *)(uintptr_t)((l4_word_t)(d[2] | d[3] << 8 | d[4] << 16) |
						    (l4_word_t)d[7] << 24);
	return (l4_word_t)(tss[4] | tss[5] << 8 | tss[6] << 16) | (l4_word_t)tss[7] << 24;
}

int l4_enter_guest(struct l4_guest_ctx *ctx, unsigned int vector, int has_error,
		   l4_word_t error, int soft)
{
	struct previrt_vcpu *v = &l4_vmm.cpu;
	l4_word_t handler, sp, *f;
	unsigned int dpl;
	int intr, from_user = v->cpl == 3;

	if (read_gate(vector, &handler, &intr, &dpl))
		return -1;
	if (soft && dpl < v->cpl)
		return -1;	/* the caller raises #GP instead */
	l4_word_t flags = (l4_word_t)previrt_vcpu_flags(v, ctx->flags);

	if (from_user) {
		sp = tss_esp0();
		if (!sp)
			return -1;
		f = (l4_word_t *)(uintptr_t)sp;
		*--f = l4_vmm.seg.ss;
		*--f = ctx->sp;
	} else {
		f = (l4_word_t *)(uintptr_t)ctx->sp;
	}
	*--f = flags;
	*--f = l4_vmm.seg.cs;
	*--f = ctx->ip;
	if (has_error)
		*--f = error;
	if (from_user) {
		/* the CPU loads the kernel's selectors from the gate and the TSS */
		v->cpl = 0;
		l4_vmm.seg.cs = l4_vmm.kernel_cs;
		l4_vmm.seg.ss = l4_vmm.kernel_ss;
	}
	if (intr)
		v->if_flag = 0;
	ctx->sp = (l4_word_t)(uintptr_t)f;
	ctx->ip = handler;
	l4_vmm.guest_faults++;
	return 0;
}
