// SPDX-License-Identifier: MIT
/*
 * Segmentation against the guest's own GDT and LDT (previrt/vseg.h).
 *
 * Each case does what the processor does when it loads or inspects a
 * selector, in the order it checks: the selector, the descriptor's place
 * in its table, the descriptor's type, the privilege levels, and presence
 * last (so that #NP/#SS only ever report a descriptor that would
 * otherwise have been acceptable).  Nothing the guest can see changes
 * before every check has passed: a failed case leaves registers,
 * selectors and descriptors as they were, for the fault to be raised at
 * the instruction.
 *
 * Descriptors are read in place; the only writes to the tables are the
 * accessed bit of a loaded segment and the busy bit of a TSS, each made
 * as the CPU makes it, a locked OR, and only when the bit is clear (a
 * kernel may keep its GDT read-only with the bits already set).
 */
#include <previrt/vseg.h>
#include "internal.h"

/*
 * What long mode changes: system descriptors grow to 16 bytes (base bits
 * 32..63 in the second half) and the set of system types is smaller.
 * The i386 build runs a legacy-mode kernel, the x86-64 build a 64-bit
 * kernel: the mode follows the build.
 */
#ifdef __x86_64__
#define LONG_MODE	1
#else
#define LONG_MODE	0
#endif

/* The access byte (descriptor bits 40..47). */
#define ACC_ACCESSED	0x01
#define ACC_RW		0x02	/* data: writable; code: readable; TSS: busy */
#define ACC_CONFORMING	0x04	/* code only (data: expand-down) */
#define ACC_CODE	0x08
#define ACC_S		PV_DESC_S	/* code or data, not system */
#define ACC_P		PV_DESC_PRESENT
#define ACC_TYPE	PV_GATE_TYPE_MASK
#define ACC_DPL(a)	(((a) >> PV_DESC_DPL_SHIFT) & 3u)

/* System descriptor types. */
#define SYS_TSS16	0x1
#define SYS_LDT		0x2
#define SYS_TSS16_BUSY	0x3
#define SYS_CALL16	0x4
#define SYS_TASK_GATE	PV_GATE_TASK
#define SYS_TSS		0x9
#define SYS_TSS_BUSY	0xb
#define SYS_CALL	0xc

/* The flags nibble. */
#define DESC_L		(1ULL << 53)	/* 64-bit code */
#define DESC_DB		(1ULL << 54)	/* 32-bit code or stack */
#define DESC_G		(1ULL << 55)	/* limit in pages */


/* A descriptor found in a table. */
struct desc {
	volatile uint8_t *at;	/* where it is, for the accessed and busy bits */
	uint64_t lo;		/* bytes 0..7 */
	uint64_t hi;		/* long mode: bytes 8..15 when 'wide', else 0 */
	unsigned int acc;	/* access byte */
	int wide;		/* 16 bytes fit in the table (long-mode system descriptors) */
};

static uint32_t desc_base(uint64_t lo)
{
	return (uint32_t)(((lo >> 16) & 0xffffff) | ((lo >> 56) & 0xff) << 24);
}

/* Byte limit, scaled by G: 32 bits, so no 64-bit arithmetic on i386. */
static uint32_t desc_limit(uint64_t lo)
{
	uint32_t l = (uint32_t)(lo & 0xffff) | ((uint32_t)(lo >> 32) & 0xf0000u);

	return (lo & DESC_G) ? (l << 12) | 0xfff : l;
}

static uint64_t read_desc(volatile const uint8_t *p)
{
	return *(volatile const uint64_t *)p;
}

/*
 * The descriptor sel names, in the GDT or (TI set) the LDT; 0 when the
 * table does not reach that far or there is no table.  The LDT is the one
 * the GDT descriptor at v->ldtr describes, looked up now: lldt (vcpu.c)
 * stored the selector without checking it, so an LDTR that does not name
 * a present LDT descriptor means no LDT.
 */
static int lookup(const struct previrt_vcpu *v, unsigned int sel, struct desc *d)
{
	unsigned long base;
	uint32_t limit;
	uint32_t off = sel & 0xfff8u;

	if (sel & 4) {
		struct desc ldt;
		unsigned int l = v->ldtr;

		if (!(l & 0xfff8u) || (l & 4) || !lookup(v, l & 0xfff8u, &ldt))
			return 0;
		if ((ldt.acc & (ACC_S | ACC_TYPE)) != SYS_LDT || !(ldt.acc & ACC_P) ||
		    (LONG_MODE && !ldt.wide))
			return 0;
		base = desc_base(ldt.lo);
#ifdef __x86_64__
		base |= (unsigned long)(uint32_t)ldt.hi << 32;
#endif
		limit = desc_limit(ldt.lo);
	} else {
		base = v->gdtr.base;
		limit = v->gdtr.limit;
	}
	/* off + 7 cannot wrap: off is at most 0xfff8 */
	if (!base || off + 7 > limit)
		return 0;
	d->at = (volatile uint8_t *)(base + off);
	d->lo = read_desc(d->at);
	d->acc = (unsigned int)(d->lo >> 40) & 0xff;
	d->wide = LONG_MODE && limit >= 15 && off <= limit - 15;
	d->hi = d->wide ? read_desc(d->at + 8) : 0;
	return 1;
}

/* Set an access-byte bit as the CPU does: locked, and only if clear. */
static void set_access_bit(const struct desc *d, unsigned int bit)
{
	if (!(d->at[5] & bit))
		__atomic_fetch_or(&d->at[5], (uint8_t)bit, __ATOMIC_SEQ_CST);
}

static int raise(struct previrt_vseg_fault *f, unsigned int vector, unsigned int sel)
{
	f->vector = vector;
	f->has_error = 1;
	f->error = sel & 0xfffcu;	/* index and TI; EXT and IDT are 0 */
	return 1;
}

uint16_t *previrt_vseg_sreg(struct previrt_vseg *s, unsigned int sreg)
{
	switch (sreg) {
	case PV_SEG_ES: return &s->es;
	case PV_SEG_CS: return &s->cs;
	case PV_SEG_SS: return &s->ss;
	case PV_SEG_DS: return &s->ds;
	case PV_SEG_FS: return &s->fs;
	case PV_SEG_GS: return &s->gs;
	}
	return 0;
}

static void set_base(struct previrt_vcpu *v, struct previrt_vseg *s, unsigned int sreg,
		     unsigned long base)
{
	if (sreg == PV_SEG_FS)
		v->fs_base = base;
	else if (sreg == PV_SEG_GS)
		v->gs_base = base;
	else
		return;
	if (s->base_changed)
		s->base_changed(s, v, sreg, base);
}

int previrt_vseg_load(struct previrt_vcpu *v, struct previrt_vseg *s, unsigned int sreg,
		      unsigned int sel, struct previrt_vseg_fault *f)
{
	uint16_t *slot = previrt_vseg_sreg(s, sreg);
	unsigned int cpl = v->cpl & 3, rpl, dpl;
	struct desc d;

	if (!slot || sreg == PV_SEG_CS)
		return -1;
	sel &= 0xffff;
	rpl = sel & 3;
	if (!(sel & 0xfffcu)) {
		/*
		 * A null selector is fine anywhere but in %ss, where only a
		 * 64-bit kernel may put one, and only with its own RPL.
		 */
		if (sreg == PV_SEG_SS && !(LONG_MODE && cpl != 3 && rpl == cpl))
			return raise(f, PREVIRT_VSEG_GP, 0);
		*slot = (uint16_t)sel;
		set_base(v, s, sreg, 0);
		return 0;
	}
	if (!lookup(v, sel, &d))
		return raise(f, PREVIRT_VSEG_GP, sel);
	dpl = ACC_DPL(d.acc);
	if (sreg == PV_SEG_SS) {
		/* a writable data segment of exactly the current privilege */
		if (rpl != cpl || (d.acc & (ACC_S | ACC_CODE | ACC_RW)) != (ACC_S | ACC_RW) ||
		    dpl != cpl)
			return raise(f, PREVIRT_VSEG_GP, sel);
		if (!(d.acc & ACC_P))
			return raise(f, PREVIRT_VSEG_SS, sel);
	} else {
		/* data or readable code, visible at both CPL and RPL unless conforming code */
		if (!(d.acc & ACC_S) || (d.acc & (ACC_CODE | ACC_RW)) == ACC_CODE)
			return raise(f, PREVIRT_VSEG_GP, sel);
		if ((d.acc & (ACC_CODE | ACC_CONFORMING)) != (ACC_CODE | ACC_CONFORMING) &&
		    (rpl > dpl || cpl > dpl))
			return raise(f, PREVIRT_VSEG_GP, sel);
		if (!(d.acc & ACC_P))
			return raise(f, PREVIRT_VSEG_NP, sel);
	}
	set_access_bit(&d, ACC_ACCESSED);
	*slot = (uint16_t)sel;
	set_base(v, s, sreg, desc_base(d.lo));
	return 0;
}

static unsigned long width_mask(unsigned int size)
{
	return size >= sizeof(unsigned long) ? ~0UL : (1UL << (8 * size)) - 1;
}

/* The 16-bit selector operand (register or memory) of in. */
static unsigned int src16(struct previrt_vcpu *v, struct previrt_regs *r,
			  const struct pv_x86_insn *in, const struct previrt_site *site)
{
	if (in->has_mem)
		return (unsigned int)previrt_mem_read(pv_vcpu_ea(v, r, in, site), 2);
	return (unsigned int)(*previrt_reg(r, in->rm_reg) & 0xffff);
}

/*
 * The checks of a far transfer to sel:off before %cs changes.  ret: a far
 * return, whose RPL is the privilege returned to.  0 when the transfer
 * stays at the current privilege in code of the current size; 1 with a
 * fault; -1 for what cannot be done in place: a return to an outer level
 * (its stack switch is the backend's), a gate or TSS (a task switch), a
 * code segment of another size (the instruction stream would change
 * meaning).
 */
static int far_target(const struct previrt_vcpu *v, unsigned int sel, unsigned long off,
		      int ret, struct desc *d, struct previrt_vseg_fault *f)
{
	unsigned int cpl = v->cpl & 3, rpl = sel & 3, dpl, type;

	if (!(sel & 0xfffcu))
		return raise(f, PREVIRT_VSEG_GP, 0);
	if (!lookup(v, sel, d))
		return raise(f, PREVIRT_VSEG_GP, sel);
	dpl = ACC_DPL(d->acc);
	type = d->acc & ACC_TYPE;
	if (!(d->acc & ACC_S)) {
		/* long mode has call gates but no task switches */
		if (!ret && (type == SYS_CALL ||
			     (!LONG_MODE && (type == SYS_CALL16 || type == SYS_TASK_GATE ||
					     type == SYS_TSS16 || type == SYS_TSS))))
			return -1;
		return raise(f, PREVIRT_VSEG_GP, sel);
	}
	if (!(d->acc & ACC_CODE))
		return raise(f, PREVIRT_VSEG_GP, sel);
	if (ret) {
		if (rpl < cpl)
			return raise(f, PREVIRT_VSEG_GP, sel);
		if ((d->acc & ACC_CONFORMING) ? dpl > rpl : dpl != rpl)
			return raise(f, PREVIRT_VSEG_GP, sel);
		if (rpl > cpl)
			return -1;
	} else if ((d->acc & ACC_CONFORMING) ? dpl > cpl : (rpl > cpl || dpl != cpl)) {
		return raise(f, PREVIRT_VSEG_GP, sel);
	}
	if (!(d->acc & ACC_P))
		return raise(f, PREVIRT_VSEG_NP, sel);
#ifdef __x86_64__
	if ((d->lo & DESC_L) && (d->lo & DESC_DB))
		return raise(f, PREVIRT_VSEG_GP, sel);	/* reserved combination */
	if (!(d->lo & DESC_L))
		return -1;			/* to compatibility mode */
	{
		/* a 64-bit target must be canonical (47 or 56 bits, sign-extended) */
		unsigned int top = (v->cr4 & PV_CR4_LA57) ? 56 : 47;
		unsigned long high = off >> top;

		if (high && high != (~0UL >> top))
			return raise(f, PREVIRT_VSEG_GP, 0);
	}
#else
	if (!(d->lo & DESC_DB))
		return -1;			/* to 16-bit code */
	if (off > desc_limit(d->lo))
		return raise(f, PREVIRT_VSEG_GP, 0);
#endif
	return 0;
}

static int far_xfer(struct previrt_vcpu *v, struct previrt_vseg *s, struct previrt_regs *r,
		    const struct pv_x86_insn *in, const struct previrt_site *site,
		    struct previrt_vseg_fault *f)
{
	unsigned int size = in->opsize, sel;
	unsigned long off, mask = width_mask(size);
	struct desc d;
	int rc;

	if (in->op == PV_OP_LRET) {
		/* offset, then the selector in a slot of the same size */
		off = (unsigned long)previrt_mem_read(r->sp, size) & mask;
		sel = (unsigned int)previrt_mem_read(r->sp + size, 2);
		rc = far_target(v, sel, off, 1, &d, f);
		if (rc)
			return rc;
		r->sp += 2 * size + (in->has_imm ? (unsigned long)(uint16_t)in->imm : 0);
		s->cs = (uint16_t)sel;
	} else {
		if (in->has_mem) {
			/* the far pointer: offset of the operand size, then selector */
			unsigned long p = pv_vcpu_ea(v, r, in, site);

			off = (unsigned long)previrt_mem_read(p, size) & mask;
			sel = (unsigned int)previrt_mem_read(p + size, 2);
		} else if (in->has_imm) {
			/* direct ptr16:16/32, legacy mode only */
			off = (unsigned long)in->imm & mask;
			sel = (unsigned int)in->imm2 & 0xffff;
		} else {
			return -1;
		}
		rc = far_target(v, sel, off, 0, &d, f);
		if (rc)
			return rc;
		if (in->op == PV_OP_LCALL) {
			/* the caller's cs and return address, each in an operand-size slot */
			r->sp -= size;
			previrt_mem_write(r->sp, size, s->cs);
			r->sp -= size;
			previrt_mem_write(r->sp, size, r->ip & mask);
		}
		/* same privilege: the new cs carries the current one as RPL */
		s->cs = (uint16_t)((sel & 0xfffcu) | (v->cpl & 3));
	}
	set_access_bit(&d, ACC_ACCESSED);
	r->ip = off;
	return 0;
}

/* Whether lar (lsl: limit too) accepts a system descriptor of this type. */
static int system_type_ok(unsigned int op, unsigned int type)
{
	switch (type) {
	case SYS_LDT: case SYS_TSS: case SYS_TSS_BUSY:
		return 1;
	case SYS_CALL:
		return op == PV_OP_LAR;
	case SYS_TSS16: case SYS_TSS16_BUSY:
		return !LONG_MODE;
	case SYS_CALL16: case SYS_TASK_GATE:
		return !LONG_MODE && op == PV_OP_LAR;
	}
	return 0;
}

/*
 * lar lsl verr verw: ZF says whether the descriptor passed, and lar/lsl
 * write their result only then.  None of them looks at the P bit.
 */
static int seg_check(struct previrt_vcpu *v, struct previrt_regs *r,
		     const struct pv_x86_insn *in, const struct previrt_site *site)
{
	unsigned int sel = src16(v, r, in, site);
	unsigned int cpl = v->cpl & 3, rpl = sel & 3, dpl;
	struct desc d;
	int ok = 0, visible;

	if ((sel & 0xfffcu) && lookup(v, sel, &d)) {
		dpl = ACC_DPL(d.acc);
		/* conforming code is visible from every level */
		visible = ((d.acc & (ACC_S | ACC_CODE | ACC_CONFORMING)) ==
			   (ACC_S | ACC_CODE | ACC_CONFORMING)) || (dpl >= cpl && dpl >= rpl);
		if (!(d.acc & ACC_S)) {
			ok = visible && (in->op == PV_OP_LAR || in->op == PV_OP_LSL) &&
			     system_type_ok(in->op, d.acc & ACC_TYPE) && (!LONG_MODE || d.wide);
		} else {
			switch (in->op) {
			case PV_OP_LAR: case PV_OP_LSL:
				ok = visible;
				break;
			case PV_OP_VERR:
				ok = visible && (!(d.acc & ACC_CODE) || (d.acc & ACC_RW));
				break;
			case PV_OP_VERW:
				ok = visible && !(d.acc & ACC_CODE) && (d.acc & ACC_RW);
				break;
			}
		}
	}
	if (ok && in->op == PV_OP_LAR)
		/* type, S, DPL, P, then AVL, L, D/B, G; the limit nibble reads as 0 */
		pv_reg_write(r, in, in->reg, in->opsize, (unsigned long)(d.lo >> 32) & 0x00f0ff00UL);
	else if (ok && in->op == PV_OP_LSL)
		pv_reg_write(r, in, in->reg, in->opsize, desc_limit(d.lo));
	r->flags = ok ? r->flags | PV_FL_ZF : r->flags & ~PV_FL_ZF;
	return 0;
}

/* ltr: an available TSS of the GDT becomes the task register, and busy. */
static int load_tr(struct previrt_vcpu *v, struct previrt_regs *r,
		   const struct pv_x86_insn *in, const struct previrt_site *site,
		   struct previrt_vseg_fault *f)
{
	unsigned int sel = src16(v, r, in, site), type;
	struct desc d;

	if ((v->cpl & 3) || !(sel & 0xfffcu))
		return raise(f, PREVIRT_VSEG_GP, 0);
	if ((sel & 4) || !lookup(v, sel, &d))
		return raise(f, PREVIRT_VSEG_GP, sel);
	type = d.acc & (ACC_S | ACC_TYPE);
	if (!(type == SYS_TSS || (!LONG_MODE && type == SYS_TSS16)) || (LONG_MODE && !d.wide))
		return raise(f, PREVIRT_VSEG_GP, sel);
	if (!(d.acc & ACC_P))
		return raise(f, PREVIRT_VSEG_NP, sel);
	set_access_bit(&d, ACC_RW);	/* the busy bit */
	v->tr = (unsigned short)sel;
	return 0;
}

int previrt_vseg_handles_op(unsigned int op)
{
	switch (op) {
	case PV_OP_MOV_FROM_SEG: case PV_OP_PUSH_SEG:
	case PV_OP_MOV_TO_SEG: case PV_OP_POP_SEG: case PV_OP_LOAD_FAR_PTR:
	case PV_OP_LJMP: case PV_OP_LCALL: case PV_OP_LRET:
	case PV_OP_LAR: case PV_OP_LSL: case PV_OP_VERR: case PV_OP_VERW:
	case PV_OP_LTR:
		return 1;
	}
	return 0;
}

int previrt_vseg_emulates_class(unsigned int klass)
{
	switch (klass) {
	case PREVIRT_CLASS_SEG_READ: case PREVIRT_CLASS_SEG_WRITE:
	case PREVIRT_CLASS_FAR_XFER: case PREVIRT_CLASS_SEG_CHECK:
		return 1;
	}
	return 0;
}

static int emulate_one(struct previrt_vcpu *v, struct previrt_vseg *s, struct previrt_regs *r,
		       const struct pv_x86_insn *in, const struct previrt_site *site,
		       struct previrt_vseg_fault *f)
{
	uint16_t *slot;
	unsigned int sel;
	int rc;

	switch (in->op) {
	case PV_OP_MOV_FROM_SEG:
	case PV_OP_PUSH_SEG:
		slot = previrt_vseg_sreg(s, in->sreg);
		if (!slot)
			return -1;
		if (in->op == PV_OP_PUSH_SEG) {
			/* a whole stack slot, zero-extended (both are allowed, this is definite) */
			r->sp -= in->opsize;
			previrt_mem_write(r->sp, in->opsize, *slot);
		} else if (in->has_mem) {
			previrt_mem_write(pv_vcpu_ea(v, r, in, site), 2, *slot);
		} else {
			pv_reg_write(r, in, in->rm_reg, in->opsize, *slot);
		}
		return 0;
	case PV_OP_MOV_TO_SEG:
		return previrt_vseg_load(v, s, in->sreg, src16(v, r, in, site), f);
	case PV_OP_POP_SEG:
		rc = previrt_vseg_load(v, s, in->sreg, (unsigned int)previrt_mem_read(r->sp, 2), f);
		if (!rc)
			r->sp += in->opsize;
		return rc;
	case PV_OP_LOAD_FAR_PTR: {
		/* lds les lfs lgs lss: the register only once the segment loaded */
		unsigned long p = pv_vcpu_ea(v, r, in, site);
		unsigned long off = (unsigned long)previrt_mem_read(p, in->opsize);

		sel = (unsigned int)previrt_mem_read(p + in->opsize, 2);
		rc = previrt_vseg_load(v, s, in->sreg, sel, f);
		if (!rc)
			pv_reg_write(r, in, in->reg, in->opsize, off);
		return rc;
	}
	case PV_OP_LJMP: case PV_OP_LCALL: case PV_OP_LRET:
		return far_xfer(v, s, r, in, site, f);
	case PV_OP_LAR: case PV_OP_LSL: case PV_OP_VERR: case PV_OP_VERW:
		return seg_check(v, r, in, site);
	case PV_OP_LTR:
		return load_tr(v, r, in, site, f);
	}
	return -1;
}

int previrt_vseg_emulate(struct previrt_vcpu *v, struct previrt_vseg *s,
			 struct previrt_regs *regs, const struct pv_x86_insn *insn,
			 const struct previrt_site *site, struct previrt_vseg_fault *fault)
{
	int rc = emulate_one(v, s, regs, insn, site, fault);

	if (!rc)
		v->emulated++;
	return rc;
}
