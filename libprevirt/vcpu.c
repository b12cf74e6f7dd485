// SPDX-License-Identifier: MIT
/*
 * Emulation of sensitive instructions on the virtual CPU (previrt/vcpu.h).
 *
 * Each case does what the processor would do at CPL 0, but to struct
 * previrt_vcpu instead of the machine, and to the saved registers instead
 * of the live ones.  Register writes follow the hardware's width rules: a
 * 32-bit result zero-extends into the 64-bit register, 8- and 16-bit
 * results leave the rest alone, and without REX the byte registers 4..7
 * are %ah %ch %dh %bh.
 */
#include <previrt/vcpu.h>
#include "internal.h"

static unsigned long width_mask(unsigned int size)
{
	return size >= sizeof(unsigned long) ? ~0UL : (1UL << (8 * size)) - 1;
}

static unsigned long reg_read(struct previrt_regs *r, const struct pv_x86_insn *in,
			      unsigned int n, unsigned int size)
{
	if (size == 1 && !in->rex && n >= 4 && n < 8)
		return (*previrt_reg(r, n - 4) >> 8) & 0xff;	/* %ah..%bh */
	return *previrt_reg(r, n) & width_mask(size);
}

void pv_reg_write(struct previrt_regs *r, const struct pv_x86_insn *in,
		  unsigned int n, unsigned int size, unsigned long val)
{
	unsigned long *p;

	if (size == 1 && !in->rex && n >= 4 && n < 8) {
		p = previrt_reg(r, n - 4);
		*p = (*p & ~0xff00UL) | ((val & 0xff) << 8);
		return;
	}
	p = previrt_reg(r, n);
	if (size >= 4)
		*p = val & width_mask(size);	/* 32-bit results zero-extend */
	else
		*p = (*p & ~width_mask(size)) | (val & width_mask(size));
}

unsigned long pv_vcpu_ea(const struct previrt_vcpu *v, struct previrt_regs *r,
			 const struct pv_x86_insn *in, const struct previrt_site *site)
{
	const struct pv_x86_mem *m = &in->mem;
	unsigned long ea = (unsigned long)m->disp;

	if (m->base == PV_REG_RIP)
		/* relative to the end of the instruction where it was, in the sled */
		ea += (unsigned long)previrt_site_sled(site) + previrt_site_insn_offset(site) + in->len;
	else if (m->base != PV_REG_NONE)
		ea += *previrt_reg(r, m->base);
	if (m->index != PV_REG_NONE)
		ea += *previrt_reg(r, m->index) * m->scale;
	ea &= width_mask(in->adsize);
	if (m->seg == PV_SEG_FS)
		ea += v->fs_base;
	else if (m->seg == PV_SEG_GS)
		ea += v->gs_base;
	return ea;
}

/*
 * Guest operands need not be aligned (x86 does not ask it: the base of an
 * lgdt/lidt operand sits at offset 2 of a descriptor that is itself
 * aligned), so the access goes through types of alignment 1; it stays one
 * volatile access of its size, which is what device memory needs.
 */
typedef uint16_t pv_any_u16 __attribute__((aligned(1), may_alias));
typedef uint32_t pv_any_u32 __attribute__((aligned(1), may_alias));
typedef uint64_t pv_any_u64 __attribute__((aligned(1), may_alias));

uint64_t previrt_mem_read(unsigned long a, unsigned int size)
{
	switch (size) {
	case 1: return *(volatile uint8_t *)a;
	case 2: return *(volatile pv_any_u16 *)a;
	case 4: return *(volatile pv_any_u32 *)a;
	default: return *(volatile pv_any_u64 *)a;
	}
}

void previrt_mem_write(unsigned long a, unsigned int size, uint64_t val)
{
	switch (size) {
	case 1: *(volatile uint8_t *)a = (uint8_t)val; break;
	case 2: *(volatile pv_any_u16 *)a = (uint16_t)val; break;
	case 4: *(volatile pv_any_u32 *)a = (uint32_t)val; break;
	default: *(volatile pv_any_u64 *)a = val; break;
	}
}

int previrt_vcpu_get_msr(const struct previrt_vcpu *v, uint32_t index, uint64_t *value)
{
	unsigned int i;

	for (i = 0; i < v->nmsr; i++)
		if (v->msr[i].index == index) {
			*value = v->msr[i].value;
			return 0;
		}
	return -1;
}

int previrt_vcpu_set_msr(struct previrt_vcpu *v, uint32_t index, uint64_t value)
{
	unsigned int i;

	for (i = 0; i < v->nmsr; i++)
		if (v->msr[i].index == index)
			break;
	if (i == v->nmsr) {
		if (v->nmsr == PREVIRT_VCPU_MSRS)
			return -1;
		v->nmsr++;
		v->msr[i].index = index;
	}
	v->msr[i].value = value;
	return 0;
}

static uint64_t host_tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static void host_cpuid(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
		       uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

/* The current selector of a segment register, as the hardware holds it. */
static unsigned int host_selector(unsigned int sreg)
{
	unsigned short s = 0;

	switch (sreg) {
	case PV_SEG_ES: __asm__ volatile("mov %%es, %0" : "=r"(s)); break;
	case PV_SEG_CS: __asm__ volatile("mov %%cs, %0" : "=r"(s)); break;
	case PV_SEG_SS: __asm__ volatile("mov %%ss, %0" : "=r"(s)); break;
	case PV_SEG_DS: __asm__ volatile("mov %%ds, %0" : "=r"(s)); break;
	case PV_SEG_FS: __asm__ volatile("mov %%fs, %0" : "=r"(s)); break;
	case PV_SEG_GS: __asm__ volatile("mov %%gs, %0" : "=r"(s)); break;
	}
	return s;
}

static void push(struct previrt_regs *r, unsigned int size, uint64_t val)
{
	r->sp -= size;
	previrt_mem_write(r->sp, size, val);
}

static uint64_t pop(struct previrt_regs *r, unsigned int size)
{
	uint64_t val = previrt_mem_read(r->sp, size);

	r->sp += size;
	return val;
}

/* Value of the register-or-memory operand (r/m) of in. */
static uint64_t rm_read(const struct previrt_vcpu *v, struct previrt_regs *r,
			const struct pv_x86_insn *in, const struct previrt_site *site,
			unsigned int size)
{
	if (in->has_mem)
		return previrt_mem_read(pv_vcpu_ea(v, r, in, site), size);
	return reg_read(r, in, in->rm_reg, size);
}

static void rm_write(const struct previrt_vcpu *v, struct previrt_regs *r,
		     const struct pv_x86_insn *in, const struct previrt_site *site,
		     unsigned int size, uint64_t val)
{
	if (in->has_mem)
		previrt_mem_write(pv_vcpu_ea(v, r, in, site), size, val);
	else
		pv_reg_write(r, in, in->rm_reg, size, (unsigned long)val);
}

static unsigned long *cr_slot(struct previrt_vcpu *v, unsigned int n)
{
	switch (n) {
	case 0: return &v->cr0;
	case 2: return &v->cr2;
	case 3: return &v->cr3;
	case 4: return &v->cr4;
	case 8: return &v->cr8;
	}
	return 0;
}

static uint32_t port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	uint32_t val = previrt_vmm_port_in(v, port, size);

	return (uint32_t)(val & width_mask(size));
}

static void port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size, uint32_t val)
{
	previrt_vmm_port_out(v, port, size, (uint32_t)(val & width_mask(size)));
}

/* ins/outs, with or without rep: one element per iteration, DF respected. */
static void string_io(struct previrt_vcpu *v, struct previrt_regs *r,
		      const struct pv_x86_insn *in)
{
	unsigned long amask = width_mask(in->adsize);
	unsigned long count = (in->prefixes & PV_PFX_REP) ? r->cx & amask : 1;
	long step = (r->flags & PV_FL_DF) ? -(long)in->opsize : (long)in->opsize;
	unsigned int port = (unsigned int)(r->dx & 0xffff);
	unsigned long seg_base = 0;

	if (in->seg_override == PV_SEG_FS)
		seg_base = v->fs_base;
	else if (in->seg_override == PV_SEG_GS)
		seg_base = v->gs_base;
	while (count--) {
		if (in->op == PV_OP_OUTS) {
			port_out(v, port, in->opsize,
				 (uint32_t)previrt_mem_read(seg_base + (r->si & amask), in->opsize));
			r->si = (r->si & ~amask) | ((r->si + step) & amask);
		} else {
			/* ins always stores through %es, which no override changes */
			previrt_mem_write(r->di & amask, in->opsize, port_in(v, port, in->opsize));
			r->di = (r->di & ~amask) | ((r->di + step) & amask);
		}
		if (in->prefixes & PV_PFX_REP)
			r->cx = (r->cx & ~amask) | ((r->cx - 1) & amask);
	}
}

static int emulate_desc(struct previrt_vcpu *v, struct previrt_regs *r,
			const struct pv_x86_insn *in, const struct previrt_site *site)
{
	struct previrt_dtr *dtr = (in->op == PV_OP_LGDT || in->op == PV_OP_SGDT) ? &v->gdtr : &v->idtr;
	unsigned long a;

	switch (in->op) {
	case PV_OP_LGDT: case PV_OP_LIDT:
		a = pv_vcpu_ea(v, r, in, site);
		dtr->limit = (unsigned short)previrt_mem_read(a, 2);
		dtr->base = (unsigned long)previrt_mem_read(a + 2, in->bits == 64 ? 8 : 4);
		return 0;
	case PV_OP_SGDT: case PV_OP_SIDT:
		a = pv_vcpu_ea(v, r, in, site);
		previrt_mem_write(a, 2, dtr->limit);
		previrt_mem_write(a + 2, in->bits == 64 ? 8 : 4, dtr->base);
		return 0;
	case PV_OP_LLDT:
		v->ldtr = (unsigned short)rm_read(v, r, in, site, 2);
		return 0;
	case PV_OP_LTR:
		v->tr = (unsigned short)rm_read(v, r, in, site, 2);
		return 0;
	case PV_OP_SLDT:
		rm_write(v, r, in, site, in->has_mem ? 2 : in->opsize, v->ldtr);
		return 0;
	case PV_OP_STR:
		rm_write(v, r, in, site, in->has_mem ? 2 : in->opsize, v->tr);
		return 0;
	}
	return -1;
}

static int emulate_cr(struct previrt_vcpu *v, struct previrt_regs *r,
		      const struct pv_x86_insn *in, const struct previrt_site *site)
{
	unsigned long *cr;

	switch (in->op) {
	case PV_OP_MOV_FROM_CR:
		cr = cr_slot(v, in->reg);
		if (!cr)
			return -1;
		pv_reg_write(r, in, in->rm_reg, in->opsize, *cr);
		return 0;
	case PV_OP_MOV_TO_CR:
		cr = cr_slot(v, in->reg);
		if (!cr)
			return -1;
		*cr = reg_read(r, in, in->rm_reg, in->opsize);
		if (in->reg == 3)
			v->tlb_flushes++;	/* a CR3 load flushes the (virtual) TLB */
		return 0;
	case PV_OP_SMSW:
		rm_write(v, r, in, site, in->has_mem ? 2 : in->opsize, v->cr0);
		return 0;
	case PV_OP_LMSW: {
		/* low four bits only, and PE can be set but not cleared */
		unsigned long val = rm_read(v, r, in, site, 2) & PV_CR0_LMSW;
		v->cr0 = (v->cr0 & ~PV_CR0_LMSW) | val | (v->cr0 & PV_CR0_PE);
		return 0;
	}
	case PV_OP_CLTS:
		v->cr0 &= ~PV_CR0_TS;
		return 0;
	case PV_OP_MOV_FROM_DR:
		pv_reg_write(r, in, in->rm_reg, in->opsize, v->dr[in->reg & 7]);
		return 0;
	case PV_OP_MOV_TO_DR:
		v->dr[in->reg & 7] = reg_read(r, in, in->rm_reg, in->opsize);
		return 0;
	}
	return -1;
}

static int emulate_msr(struct previrt_vcpu *v, struct previrt_regs *r,
		       const struct pv_x86_insn *in)
{
	uint32_t idx = (uint32_t)r->cx;
	uint64_t val;

	if (in->op == PV_OP_WRMSR || in->op == PV_OP_WRMSRNS) {
		val = (uint64_t)(uint32_t)r->dx << 32 | (uint32_t)r->ax;
		if (idx == PV_MSR_FS_BASE)
			v->fs_base = (unsigned long)val;
		else if (idx == PV_MSR_GS_BASE)
			v->gs_base = (unsigned long)val;
		else if (idx == PV_MSR_KERNEL_GS_BASE)
			v->kernel_gs_base = (unsigned long)val;
		return previrt_vcpu_set_msr(v, idx, val);
	}
	/* never-written MSRs read as 0 (a real CPU would fault on many of them) */
	if (previrt_vcpu_get_msr(v, idx, &val))
		val = 0;
	if (idx == PV_MSR_FS_BASE)
		val = v->fs_base;
	else if (idx == PV_MSR_GS_BASE)
		val = v->gs_base;
	else if (idx == PV_MSR_KERNEL_GS_BASE)
		val = v->kernel_gs_base;
	r->ax = (uint32_t)val;
	r->dx = (uint32_t)(val >> 32);
	return 0;
}

static int emulate_mmio(struct previrt_vcpu *v, struct previrt_regs *r,
			const struct pv_x86_insn *in, const struct previrt_site *site)
{
	unsigned long a = pv_vcpu_ea(v, r, in, site);
	uint64_t val;

	if (in->op == PV_OP_MOV_STORE) {
		val = in->has_imm ? (uint64_t)in->imm : reg_read(r, in, in->reg, in->memsize);
		val &= width_mask(in->memsize);
		previrt_vmm_mmio_write(v, a, in->memsize, val);
		return 0;
	}
	val = previrt_vmm_mmio_read(v, a, in->memsize);
	val &= width_mask(in->memsize);
	if (in->extend == 2) {	/* movsx */
		uint64_t sign = 1ULL << (8 * in->memsize - 1);
		val = (val ^ sign) - sign;
	}
	pv_reg_write(r, in, in->reg, in->opsize, (unsigned long)val);
	return 0;
}

void previrt_vcpu_cpuid_adjust(const struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
			       uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	(void)a;
	(void)d;
	if (leaf == 1) {
		*c = (*c & ~(1u << 27)) | ((v->cr4 & PV_CR4_OSXSAVE) ? 1u << 27 : 0);	/* OSXSAVE */
		*c |= 1u << 3;							/* MONITOR */
	} else if (leaf == 7 && subleaf == 0) {
		*c = (*c & ~(1u << 4)) | ((v->cr4 & PV_CR4_PKE) ? 1u << 4 : 0);	/* OSPKE */
		*b |= 1u << 20;							/* SMAP */
	}
}

int previrt_vcpu_emulates_class(unsigned int klass)
{
	switch (klass) {
	case PREVIRT_CLASS_CLI: case PREVIRT_CLASS_STI: case PREVIRT_CLASS_PUSHF:
	case PREVIRT_CLASS_POPF: case PREVIRT_CLASS_HLT: case PREVIRT_CLASS_PIO:
	case PREVIRT_CLASS_MMIO: case PREVIRT_CLASS_CR: case PREVIRT_CLASS_DR:
	case PREVIRT_CLASS_DESC_LOAD: case PREVIRT_CLASS_DESC_STORE:
	case PREVIRT_CLASS_SEG_READ: case PREVIRT_CLASS_TLB: case PREVIRT_CLASS_CACHE:
	case PREVIRT_CLASS_MSR: case PREVIRT_CLASS_PMC: case PREVIRT_CLASS_TSC:
	case PREVIRT_CLASS_CPUID: case PREVIRT_CLASS_SWAPGS: case PREVIRT_CLASS_XCR:
	case PREVIRT_CLASS_MWAIT: case PREVIRT_CLASS_SMAP:
		return 1;
	}
	return 0;
}

static int emulate_one(struct previrt_vcpu *v, struct previrt_regs *r,
		       const struct pv_x86_insn *in, const struct previrt_site *site)
{
	uint32_t a, b, c, d;
	uint64_t t;
	unsigned int port;

	switch (in->op) {
	case PV_OP_CLI:
		v->if_flag = 0;
		return 0;
	case PV_OP_STI:
		v->if_flag = 1;
		return 0;
	case PV_OP_HLT:
	case PV_OP_MWAIT:
		/*
		 * "sti; hlt" as one site: interrupts on and the wait in one
		 * step, so that nothing is delivered between them and the
		 * wake-up cannot be spent before the wait (idle() blocks
		 * atomically with events enabled).
		 */
		if (site && (site->flags & PREVIRT_F_STI_PAIR))
			v->if_flag = 1;
		v->halts++;
		previrt_vmm_idle(v);
		return 0;
	case PV_OP_MONITOR:
		v->monitor_addr = r->ax;
		return 0;
	case PV_OP_PUSHF:
		push(r, in->opsize, previrt_vcpu_flags(v, r->flags));
		return 0;
	case PV_OP_POPF:
		r->flags = previrt_vcpu_load_flags(v, r->flags, (unsigned long)pop(r, in->opsize),
						   in->opsize);
		return 0;
	case PV_OP_IN: case PV_OP_OUT:
		port = in->has_imm ? (unsigned int)in->imm : (unsigned int)(r->dx & 0xffff);
		if (in->op == PV_OP_OUT)
			port_out(v, port, in->opsize, (uint32_t)reg_read(r, in, 0, in->opsize));
		else
			pv_reg_write(r, in, 0, in->opsize, port_in(v, port, in->opsize));
		return 0;
	case PV_OP_INS: case PV_OP_OUTS:
		string_io(v, r, in);
		return 0;
	case PV_OP_MOV_LOAD: case PV_OP_MOV_STORE:
		return emulate_mmio(v, r, in, site);
	case PV_OP_MOV_FROM_CR: case PV_OP_MOV_TO_CR: case PV_OP_SMSW: case PV_OP_LMSW:
	case PV_OP_CLTS: case PV_OP_MOV_FROM_DR: case PV_OP_MOV_TO_DR:
		return emulate_cr(v, r, in, site);
	case PV_OP_LGDT: case PV_OP_LIDT: case PV_OP_SGDT: case PV_OP_SIDT:
	case PV_OP_LLDT: case PV_OP_LTR: case PV_OP_SLDT: case PV_OP_STR:
		return emulate_desc(v, r, in, site);
	case PV_OP_MOV_FROM_SEG: case PV_OP_PUSH_SEG: {
		/* the guest sees its selectors with the privilege it believes in */
		unsigned int sel = (host_selector(in->sreg) & ~3u) | (v->cpl & 3);
		if (in->op == PV_OP_PUSH_SEG)
			push(r, in->opsize, sel);
		else
			rm_write(v, r, in, site, in->opsize, sel);
		return 0;
	}
	case PV_OP_INVLPG:
		v->last_invlpg = pv_vcpu_ea(v, r, in, site);
		v->tlb_flushes++;
		return 0;
	case PV_OP_INVPCID: case PV_OP_INVLPGA: case PV_OP_INVLPGB: case PV_OP_TLBSYNC:
		v->tlb_flushes++;
		return 0;
	case PV_OP_INVD: case PV_OP_WBINVD: case PV_OP_WBNOINVD:
		v->cache_flushes++;
		return 0;
	case PV_OP_RDMSR: case PV_OP_WRMSR: case PV_OP_WRMSRNS:
		return emulate_msr(v, r, in);
	case PV_OP_RDPMC:
		r->ax = 0;
		r->dx = 0;
		return 0;
	case PV_OP_RDTSC: case PV_OP_RDTSCP:
		t = host_tsc() + (uint64_t)v->tsc_offset;
		r->ax = (uint32_t)t;
		r->dx = (uint32_t)(t >> 32);
		if (in->op == PV_OP_RDTSCP) {
			if (previrt_vcpu_get_msr(v, PV_MSR_TSC_AUX, &t))
				t = 0;
			r->cx = (uint32_t)t;
		}
		return 0;
	case PV_OP_CPUID:
		host_cpuid((uint32_t)r->ax, (uint32_t)r->cx, &a, &b, &c, &d);
		previrt_vmm_cpuid(v, (uint32_t)r->ax, (uint32_t)r->cx, &a, &b, &c, &d);
		r->ax = a;
		r->bx = b;
		r->cx = c;
		r->dx = d;
		return 0;
	case PV_OP_SWAPGS: {
		unsigned long g = v->gs_base;
		v->gs_base = v->kernel_gs_base;
		v->kernel_gs_base = g;
		return 0;
	}
	case PV_OP_XSETBV: {
		uint64_t val = (uint64_t)(uint32_t)r->dx << 32 | (uint32_t)r->ax;
		uint64_t have = v->xcr0_supported ? v->xcr0_supported :
			PV_XCR0_X87 | PV_XCR0_SSE | PV_XCR0_AVX;
		int vec = previrt_xsetbv_check(v, (uint32_t)r->cx, val, have);

		if (vec) {
			v->fault.vector = (unsigned int)vec;
			v->fault.has_error = vec == PV_VEC_GP;
			v->fault.error = 0;
			return PREVIRT_VCPU_FAULT;
		}
		v->xcr0 = val;
		return 0;
	}
	case PV_OP_CLAC:
		v->ac_flag = 0;
		return 0;
	case PV_OP_STAC:
		v->ac_flag = 1;
		return 0;
	}
	return -1;
}

int previrt_vcpu_emulate(struct previrt_vcpu *v, struct previrt_regs *regs,
			 const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	int rc = emulate_one(v, regs, insn, site);

	if (!rc)
		v->emulated++;
	return rc;
}
