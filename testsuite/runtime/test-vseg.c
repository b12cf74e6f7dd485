// SPDX-License-Identifier: MIT
/*
 * The emulation of the guest's descriptor tables (previrt/vseg.h), as pure
 * logic: a GDT and an LDT in a buffer, instructions assembled by gas and
 * decoded by the project's decoder, applied to a register frame.  What is
 * checked is what the CPU does and a backend relies on: which loads
 * succeed, which raise #GP/#NP/#SS and with what error code, that a
 * failed case changes nothing (registers, selectors, descriptors), the
 * accessed and busy bits, the FS/GS base and its hook, the ZF results and
 * values of lar/lsl/verr/verw, and cs, ip and the stack after far
 * transfers.
 *
 * Built twice: x86-64 with Check (long mode: 16-byte system descriptors,
 * lretq, 64-bit far pointers), and i386 (legacy mode: 8-byte system
 * descriptors, direct far jumps, 16-bit TSS) as test-vseg32, whose
 * assertions print TAP through rt-check.h since there is no 32-bit Check
 * library to link.
 */
#include <string.h>
#include <previrt/vseg.h>

#ifdef VSEG_TAP
#include "rt-check.h"
#define START_TEST(name)	static void name(void)
#define END_TEST
#define ck_assert_int_eq(a, b)	CHECK((long long)(a) == (long long)(b), \
				      "line %d: %s == %s", __LINE__, #a, #b)
#define ck_assert_uint_eq(a, b)	CHECK((unsigned long long)(a) == (unsigned long long)(b), \
				      "line %d: %s == %s", __LINE__, #a, #b)
#define ck_assert(c)		CHECK(c, "line %d: %s", __LINE__, #c)
#else
#include <check.h>
#endif

#define INSN(id, text) \
	__asm__(".pushsection .rodata\n" #id "_s:\n\t" text "\n" #id "_e:\n.popsection\n"); \
	extern const unsigned char id##_s[], id##_e[];

#ifdef __x86_64__
#define BITS	64
#define DI	"%rdi"
#else
#define BITS	32
#define DI	"%edi"
#endif
#define W	sizeof(unsigned long)	/* a stack slot */

INSN(i_mov_ds, "mov %eax,%ds")
INSN(i_mov_ds_m, "mov (" DI "),%ds")
INSN(i_mov_es, "mov %eax,%es")
INSN(i_mov_ss, "mov %eax,%ss")
INSN(i_mov_fs, "mov %eax,%fs")
INSN(i_mov_gs, "mov %eax,%gs")
INSN(i_pop_fs, "pop %fs")
INSN(i_popw_gs, "popw %gs")
INSN(i_lfs, "lfs (" DI "),%eax")
INSN(i_lssw, "lss (" DI "),%cx")
INSN(i_rd_ds, "mov %ds,%eax")
INSN(i_rd_ds16, "mov %ds,%ax")
INSN(i_rd_cs, "mov %cs,%eax")
INSN(i_rd_fs_m, "mov %fs,(" DI ")")
INSN(i_push_fs, "push %fs")
INSN(i_pushw_gs, "pushw %gs")
INSN(i_lar, "lar %eax,%edx")
INSN(i_lar16, "lar %ax,%dx")
INSN(i_lsl, "lsl %eax,%edx")
INSN(i_lsl_m, "lsl (" DI "),%edx")
INSN(i_verr, "verr %ax")
INSN(i_verw, "verw %ax")
INSN(i_verw_m, "verw (" DI ")")
INSN(i_lretl, "lretl")
INSN(i_ljmp_m, "ljmp *(" DI ")")
INSN(i_lcall_m, "lcall *(" DI ")")
INSN(i_ltr, "ltr %ax")
INSN(i_cli, "cli")
#ifdef __x86_64__
INSN(i_lretq, "lretq")
INSN(i_lretq_imm, "lretq $0x10")
INSN(i_ljmpq_m, "rex64 ljmp *(%rdi)")
INSN(i_lcallq_m, "rex64 lcall *(%rdi)")
#else
INSN(i_lret_imm, "lret $0x10")
INSN(i_ljmp_dir, "ljmp $0x48,$0x403000")	/* S_CONF */
INSN(i_lcall_dir, "lcall $0x48,$0x405000")	/* S_CONF */
INSN(i_pop_ds, "pop %ds")
INSN(i_lds, "lds (%edi),%esi")
#endif

/* The test GDT: 8-byte slots; system descriptors take two in long mode. */
#define S_CODE		0x08	/* kernel code of the build's size, DPL 0 */
#define S_DATA		0x10	/* flat writable data, page granular */
#define S_BASED		0x18	/* data at BASED_BASE, byte limit BASED_LIMIT */
#define S_RODATA	0x20	/* read-only data */
#define S_XCODE		0x28	/* execute-only code */
#define S_NPDATA	0x30	/* writable data, not present */
#define S_UDATA		0x38	/* writable data, DPL 3 */
#define S_UCODE		0x40	/* code, DPL 3 */
#define S_CONF		0x48	/* conforming readable code, DPL 0 */
#define S_NPCODE	0x50	/* code, not present */
#define S_OTHER		0x58	/* code of the other size: 32-bit (long mode), 16-bit (i386) */
#define S_TSS		0x60	/* available TSS (+0x68: upper half) */
#define S_LDT		0x70	/* LDT descriptor (+0x78) */
#define S_GATE		0x80	/* call gate (+0x88) */
#define S_TSS16		0x90	/* 16-bit available TSS */
#define S_TSSBUSY	0x98	/* busy TSS (+0xa0) */
#define S_NPTSS		0xa8	/* available TSS, not present (+0xb0) */
#define S_TASKGATE	0xb8	/* task gate (legacy mode only) (+0xc0) */
#define S_NOTLDT	0xc8	/* a TSS over the LDT's memory (+0xd0) */
#define S_NPLDT		0xd8	/* the LDT, not present (+0xe0) */
#define S_UCONF		0xe8	/* conforming readable code, DPL 3 */
#define S_SMALL		0xf0	/* 32-bit code, byte limit 0xffff */
#define GDT_ENTRIES	31
#define S_BEYOND	(GDT_ENTRIES * 8)

#define L_DATA		0x04	/* LDT entry 0: writable data, limit L_LIMIT */
#define L_NP		0x0c	/* LDT entry 1: not present */
#define L_BEYOND	0x14	/* past the LDT's limit */

#define BASED_BASE	0x12345000u
#define BASED_LIMIT	0xabcdeu
#define L_LIMIT		0x1234u
#define TSS_LIMIT	0x67u

#define ZF		0x40UL
#ifdef __x86_64__
#define CODE_FLAGS	0xa	/* G, L */
#define OTHER_FLAGS	0xc	/* G, D: 32-bit code */
#else
#define CODE_FLAGS	0xc	/* G, D */
#define OTHER_FLAGS	0x8	/* G only: 16-bit code */
#endif

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static uint64_t ldt[2] __attribute__((aligned(16)));
static struct previrt_vcpu v;
static struct previrt_vseg s;
static struct previrt_regs r, before;
static struct pv_x86_insn in;
static struct previrt_site site;
static struct previrt_vseg_fault f;
static unsigned int hook_calls, hook_sreg;
static unsigned long hook_base;

static uint64_t desc(uint32_t base, uint32_t limit, unsigned int access, unsigned int flags)
{
	return (uint64_t)(limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)access << 40 | (uint64_t)((limit >> 16) & 0xf) << 48 |
	       (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}

/* A system descriptor: in long mode the next slot holds base bits 32..63. */
static void sys_desc(unsigned int sel, unsigned long base, uint32_t limit, unsigned int access)
{
	gdt[sel >> 3] = desc((uint32_t)base, limit, access, 0);
#ifdef __x86_64__
	gdt[(sel >> 3) + 1] = base >> 32;
#endif
}

static unsigned int access_byte(const uint64_t *table, unsigned int sel)
{
	return (unsigned int)(table[sel >> 3] >> 40) & 0xff;
}

static void base_changed(struct previrt_vseg *sg, struct previrt_vcpu *vc, unsigned int sreg,
			 unsigned long base)
{
	(void)sg;
	(void)vc;
	hook_calls++;
	hook_sreg = sreg;
	hook_base = base;
}

static void setup(void)
{
	static uint64_t tss[16];

	memset(&v, 0, sizeof(v));
	memset(&s, 0, sizeof(s));
	memset(&r, 0, sizeof(r));
	memset(gdt, 0, sizeof(gdt));
	gdt[S_CODE >> 3] = desc(0, 0xfffff, 0x9a, CODE_FLAGS);
	gdt[S_DATA >> 3] = desc(0, 0xfffff, 0x92, 0xc);
	gdt[S_BASED >> 3] = desc(BASED_BASE, BASED_LIMIT, 0x92, 0x4);
	gdt[S_RODATA >> 3] = desc(0, 0xfffff, 0x90, 0xc);
	gdt[S_XCODE >> 3] = desc(0, 0xfffff, 0x98, CODE_FLAGS);
	gdt[S_NPDATA >> 3] = desc(0, 0xfffff, 0x12, 0xc);
	gdt[S_UDATA >> 3] = desc(0, 0xfffff, 0xf2, 0xc);
	gdt[S_UCODE >> 3] = desc(0, 0xfffff, 0xfa, CODE_FLAGS);
	gdt[S_CONF >> 3] = desc(0, 0xfffff, 0x9e, CODE_FLAGS);
	gdt[S_UCONF >> 3] = desc(0, 0xfffff, 0xfe, CODE_FLAGS);
	gdt[S_SMALL >> 3] = desc(0, 0xffff, 0x9a, 0x4);
	gdt[S_NPCODE >> 3] = desc(0, 0xfffff, 0x1a, CODE_FLAGS);
	gdt[S_OTHER >> 3] = desc(0, 0xfffff, 0x9a, OTHER_FLAGS);
	sys_desc(S_TSS, (unsigned long)tss, TSS_LIMIT, 0x89);
	sys_desc(S_LDT, (unsigned long)ldt, sizeof(ldt) - 1, 0x82);
	sys_desc(S_GATE, 0, 0, 0x8c);
	gdt[S_TSS16 >> 3] = desc((uint32_t)(unsigned long)tss, 0x2b, 0x81, 0);
	sys_desc(S_TSSBUSY, (unsigned long)tss, TSS_LIMIT, 0x8b);
	sys_desc(S_NPTSS, (unsigned long)tss, TSS_LIMIT, 0x09);
	gdt[S_TASKGATE >> 3] = desc(0, 0, 0x85, 0);
	sys_desc(S_NOTLDT, (unsigned long)ldt, sizeof(ldt) - 1, 0x89);
	sys_desc(S_NPLDT, (unsigned long)ldt, sizeof(ldt) - 1, 0x02);
	ldt[0] = desc(0, L_LIMIT, 0x92, 0x4);
	ldt[1] = desc(0, 0xfffff, 0x12, 0xc);
	v.gdtr.base = (unsigned long)gdt;
	v.gdtr.limit = sizeof(gdt) - 1;
	s.cs = S_CODE;
	s.ss = s.ds = s.es = S_DATA;
	s.base_changed = base_changed;
	hook_calls = 0;
	memset(&f, 0, sizeof(f));
}

static int run(const unsigned char *b, const unsigned char *e)
{
	ck_assert_int_eq(pv_x86_decode(b, (size_t)(e - b), BITS, &in), (int)(e - b));
	before = r;
	return previrt_vseg_emulate(&v, &s, &r, &in, &site, &f);
}
#define RUN(id) run(id##_s, id##_e)

/* A fault: the vector and error code, and nothing the guest sees changed. */
#define FAULT(id, vec, err) do {						\
		struct previrt_vseg saved;					\
		uint64_t gdt_saved[GDT_ENTRIES];				\
		memcpy(&saved, &s, sizeof(s));					\
		memcpy(gdt_saved, gdt, sizeof(gdt));				\
		ck_assert_int_eq(RUN(id), 1);					\
		ck_assert_uint_eq(f.vector, (vec));				\
		ck_assert_int_eq(f.has_error, 1);				\
		ck_assert_uint_eq(f.error, (err));				\
		ck_assert(!memcmp(&r, &before, sizeof(r)));			\
		ck_assert(!memcmp(&s, &saved, sizeof(s)));			\
		ck_assert(!memcmp(gdt, gdt_saved, sizeof(gdt)));		\
	} while (0)

#define GP	PREVIRT_VSEG_GP
#define NP	PREVIRT_VSEG_NP
#define SS	PREVIRT_VSEG_SS

START_TEST(test_load_data_segment)
{
	unsigned long n = v.emulated;
	uint16_t sel = S_BASED;

	ck_assert_int_eq(access_byte(gdt, S_BASED), 0x92);
	r.ax = S_BASED;
	ck_assert_int_eq(RUN(i_mov_ds), 0);
	ck_assert_uint_eq(s.ds, S_BASED);
	ck_assert_int_eq(access_byte(gdt, S_BASED), 0x93);	/* accessed */
	ck_assert_uint_eq(v.emulated, n + 1);
	ck_assert_uint_eq(hook_calls, 0);		/* only fs and gs have a base */
	ck_assert(!memcmp(&r, &before, sizeof(r)));	/* no register changes */
	/* from memory; readable code is a valid data segment; RPL is kept */
	r.di = (unsigned long)&sel;
	sel = S_CODE;
	ck_assert_int_eq(RUN(i_mov_ds_m), 0);
	ck_assert_uint_eq(s.ds, S_CODE);
	r.ax = S_UDATA | 3;
	ck_assert_int_eq(RUN(i_mov_es), 0);
	ck_assert_uint_eq(s.es, S_UDATA | 3);
	/* null is fine in a data segment register (and selects nothing) */
	r.ax = 2;
	ck_assert_int_eq(RUN(i_mov_ds), 0);
	ck_assert_uint_eq(s.ds, 2);
}
END_TEST

START_TEST(test_load_faults)
{
	r.ax = S_BEYOND;
	FAULT(i_mov_ds, GP, S_BEYOND);
	r.ax = S_BEYOND | 3;
	FAULT(i_mov_ds, GP, S_BEYOND);			/* error code without RPL */
	r.ax = S_TSS;
	FAULT(i_mov_ds, GP, S_TSS);			/* system descriptor */
	r.ax = S_XCODE;
	FAULT(i_mov_ds, GP, S_XCODE);			/* execute-only */
	r.ax = S_DATA | 3;
	FAULT(i_mov_ds, GP, S_DATA);			/* RPL 3 > DPL 0 */
	r.ax = S_NPDATA;
	FAULT(i_mov_ds, NP, S_NPDATA);
	ck_assert_int_eq(access_byte(gdt, S_NPDATA), 0x12);
	/* no GDT at all */
	v.gdtr.base = 0;
	r.ax = S_DATA;
	FAULT(i_mov_ds, GP, S_DATA);
}
END_TEST

START_TEST(test_load_at_cpl3)
{
	v.cpl = 3;
	r.ax = S_DATA;
	FAULT(i_mov_ds, GP, S_DATA);			/* CPL 3 > DPL 0, RPL 0 */
	r.ax = S_DATA | 3;
	FAULT(i_mov_ds, GP, S_DATA);
	r.ax = S_UDATA | 3;
	ck_assert_int_eq(RUN(i_mov_ds), 0);
	ck_assert_uint_eq(s.ds, S_UDATA | 3);
	/* conforming code is readable from every level */
	r.ax = S_CONF | 3;
	ck_assert_int_eq(RUN(i_mov_es), 0);
	ck_assert_uint_eq(s.es, S_CONF | 3);
}
END_TEST

START_TEST(test_load_ss)
{
	r.ax = S_BASED;
	ck_assert_int_eq(RUN(i_mov_ss), 0);
	ck_assert_uint_eq(s.ss, S_BASED);
	ck_assert_int_eq(access_byte(gdt, S_BASED) & 1, 1);
	r.ax = S_RODATA;
	FAULT(i_mov_ss, GP, S_RODATA);			/* not writable */
	r.ax = S_CODE;
	FAULT(i_mov_ss, GP, S_CODE);
	r.ax = S_DATA | 3;
	FAULT(i_mov_ss, GP, S_DATA);			/* RPL != CPL */
	r.ax = S_UDATA;
	FAULT(i_mov_ss, GP, S_UDATA);			/* DPL != CPL */
	r.ax = S_NPDATA;
	FAULT(i_mov_ss, SS, S_NPDATA);			/* not present: #SS, not #NP */
	r.ax = S_BEYOND;
	FAULT(i_mov_ss, GP, S_BEYOND);
	r.ax = 3;
	FAULT(i_mov_ss, GP, 0);				/* null with RPL != CPL */
	r.ax = 0;
#ifdef __x86_64__
	/* a 64-bit kernel may load a null %ss of its own privilege ... */
	ck_assert_int_eq(RUN(i_mov_ss), 0);
	ck_assert_uint_eq(s.ss, 0);
	/* ... but never at CPL 3 */
	v.cpl = 3;
	r.ax = 3;
	FAULT(i_mov_ss, GP, 0);
#else
	FAULT(i_mov_ss, GP, 0);				/* legacy mode: never */
#endif
}
END_TEST

START_TEST(test_fs_gs_base)
{
	r.ax = S_BASED;
	ck_assert_int_eq(RUN(i_mov_fs), 0);
	ck_assert_uint_eq(s.fs, S_BASED);
	ck_assert_uint_eq(v.fs_base, BASED_BASE);
	ck_assert_uint_eq(hook_calls, 1);
	ck_assert_uint_eq(hook_sreg, PV_SEG_FS);
	ck_assert_uint_eq(hook_base, BASED_BASE);
	ck_assert_int_eq(RUN(i_mov_gs), 0);
	ck_assert_uint_eq(v.gs_base, BASED_BASE);
	ck_assert_uint_eq(hook_sreg, PV_SEG_GS);
	/* a null selector: base 0 */
	r.ax = 0;
	ck_assert_int_eq(RUN(i_mov_fs), 0);
	ck_assert_uint_eq(s.fs, 0);
	ck_assert_uint_eq(v.fs_base, 0);
	ck_assert_uint_eq(hook_calls, 3);
	ck_assert_uint_eq(hook_base, 0);
	ck_assert_uint_eq(v.gs_base, BASED_BASE);	/* the other one kept */
	/* a failed load changes no base and calls no hook */
	r.ax = S_NPDATA;
	FAULT(i_mov_gs, NP, S_NPDATA);
	ck_assert_uint_eq(v.gs_base, BASED_BASE);
	ck_assert_uint_eq(hook_calls, 3);
	/* without a hook the base is only virtual */
	s.base_changed = 0;
	r.ax = S_DATA;
	ck_assert_int_eq(RUN(i_mov_gs), 0);
	ck_assert_uint_eq(v.gs_base, 0);
	ck_assert_uint_eq(hook_calls, 3);
}
END_TEST

START_TEST(test_pop_segment)
{
	unsigned long stack[4] = { S_BASED, 0, 0, 0 };
	uint16_t words[2] = { S_DATA, 0 };

	r.sp = (unsigned long)stack;
	ck_assert_int_eq(RUN(i_pop_fs), 0);
	ck_assert_uint_eq(s.fs, S_BASED);
	ck_assert_uint_eq(v.fs_base, BASED_BASE);
	ck_assert_uint_eq(r.sp, (unsigned long)&stack[1]);	/* a whole slot */
	r.sp = (unsigned long)words;
	ck_assert_int_eq(RUN(i_popw_gs), 0);
	ck_assert_uint_eq(s.gs, S_DATA);
	ck_assert_uint_eq(r.sp, (unsigned long)&words[1]);
	/* a faulting pop leaves the stack pointer at the selector */
	stack[1] = S_NPDATA;
	r.sp = (unsigned long)&stack[1];
	FAULT(i_pop_fs, NP, S_NPDATA);
#ifndef __x86_64__
	stack[2] = S_BASED;
	r.sp = (unsigned long)&stack[2];
	ck_assert_int_eq(RUN(i_pop_ds), 0);
	ck_assert_uint_eq(s.ds, S_BASED);
	ck_assert_uint_eq(r.sp, (unsigned long)&stack[3]);
#endif
}
END_TEST

START_TEST(test_load_far_pointer)
{
	struct __attribute__((packed)) { uint32_t off; uint16_t sel; } p32 = { 0x5eed, S_BASED };
	struct __attribute__((packed)) { uint16_t off; uint16_t sel; } p16 = { 0xbeef, S_DATA };

	r.di = (unsigned long)&p32;
	r.ax = ~0UL;
	ck_assert_int_eq(RUN(i_lfs), 0);
	ck_assert_uint_eq(r.ax, 0x5eed);		/* 32-bit: zero-extended */
	ck_assert_uint_eq(s.fs, S_BASED);
	ck_assert_uint_eq(v.fs_base, BASED_BASE);
	/* the register is written only when the segment loaded */
	p32.sel = S_NPDATA;
	r.ax = 0x1234;
	FAULT(i_lfs, NP, S_NPDATA);
	r.di = (unsigned long)&p16;
	r.cx = 0xffff0000UL;
	ck_assert_int_eq(RUN(i_lssw), 0);
	ck_assert_uint_eq(r.cx, 0xffffbeefUL);		/* 16-bit: merged */
	ck_assert_uint_eq(s.ss, S_DATA);
	p16.sel = S_RODATA;
	FAULT(i_lssw, GP, S_RODATA);
#ifndef __x86_64__
	p32.sel = S_BASED;
	r.di = (unsigned long)&p32;
	ck_assert_int_eq(RUN(i_lds), 0);
	ck_assert_uint_eq(r.si, 0x5eed);
	ck_assert_uint_eq(s.ds, S_BASED);
#endif
}
END_TEST

START_TEST(test_ldt)
{
	/* no LDT: every TI selector is beyond it */
	r.ax = L_DATA;
	FAULT(i_mov_es, GP, L_DATA);
	v.ldtr = S_LDT;
	ck_assert_int_eq(RUN(i_mov_es), 0);
	ck_assert_uint_eq(s.es, L_DATA);
	ck_assert_int_eq(access_byte(ldt, L_DATA), 0x93);
	r.ax = L_NP | 3;
	FAULT(i_mov_es, GP, L_NP);			/* RPL 3 > DPL 0 comes before P */
	r.ax = L_NP;
	FAULT(i_mov_es, NP, L_NP);
	r.ax = L_BEYOND;
	FAULT(i_mov_es, GP, L_BEYOND);
	/* lsl reads the LDT too */
	r.ax = L_DATA;
	r.dx = 0;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, L_LIMIT);
	/* an LDTR naming something other than a present LDT: no LDT */
	r.ax = L_DATA;
	v.ldtr = S_NOTLDT;
	FAULT(i_mov_es, GP, L_DATA);
	v.ldtr = S_NPLDT;
	FAULT(i_mov_es, GP, L_DATA);
	v.ldtr = S_LDT | 4;
	FAULT(i_mov_es, GP, L_DATA);
}
END_TEST

START_TEST(test_segment_reads)
{
	uint16_t mem[2] = { 0xaaaa, 0xbbbb };
	unsigned long stack[2] = { ~0UL, ~0UL };

	s.ds = S_UDATA | 3;
	s.cs = S_CODE;
	s.fs = S_BASED;
	s.gs = S_DATA;
	r.ax = ~0UL;
	ck_assert_int_eq(RUN(i_rd_ds), 0);
	ck_assert_uint_eq(r.ax, S_UDATA | 3);		/* zero-extended */
	r.ax = ~0UL;
	ck_assert_int_eq(RUN(i_rd_ds16), 0);
	ck_assert_uint_eq(r.ax, (~0UL & ~0xffffUL) | (S_UDATA | 3));
	ck_assert_int_eq(RUN(i_rd_cs), 0);
	ck_assert_uint_eq(r.ax, S_CODE);
	r.di = (unsigned long)mem;
	ck_assert_int_eq(RUN(i_rd_fs_m), 0);
	ck_assert_uint_eq(mem[0], S_BASED);
	ck_assert_uint_eq(mem[1], 0xbbbb);		/* a memory operand is 16 bits */
	r.sp = (unsigned long)&stack[2];
	ck_assert_int_eq(RUN(i_push_fs), 0);
	ck_assert_uint_eq(r.sp, (unsigned long)&stack[1]);
	ck_assert_uint_eq(stack[1], S_BASED);		/* a whole slot, zero-extended */
	ck_assert_int_eq(RUN(i_pushw_gs), 0);
	ck_assert_uint_eq(r.sp, (unsigned long)&stack[1] - 2);
	ck_assert_uint_eq(stack[0] >> (8 * W - 16), S_DATA);
	ck_assert_uint_eq(stack[0] & 0xffff, 0xffff);	/* below it untouched */
}
END_TEST

START_TEST(test_lar_lsl)
{
	r.flags = 0x2;
	r.ax = S_BASED;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, BASED_LIMIT);		/* byte granular */
	r.ax = S_DATA;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.dx, 0xffffffffUL);		/* page granular, scaled */
	r.ax = S_BASED;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, 0x00409200UL);		/* D, P, DPL 0, data rw; not accessed */
	ck_assert_int_eq(access_byte(gdt, S_BASED), 0x92);	/* lar does not set it */
	r.ax = S_CODE;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.dx, (unsigned long)CODE_FLAGS << 20 | 0x9a00);
	/* 16-bit: the access byte only, merged */
	r.ax = S_BASED;
	r.dx = ~0UL;
	ck_assert_int_eq(RUN(i_lar16), 0);
	ck_assert_uint_eq(r.dx, (~0UL & ~0xffffUL) | 0x9200);
	/* memory operand */
	uint16_t sel = S_BASED;
	r.di = (unsigned long)&sel;
	r.dx = 0;
	ck_assert_int_eq(RUN(i_lsl_m), 0);
	ck_assert_uint_eq(r.dx, BASED_LIMIT);
	/* P is not checked */
	r.ax = S_NPDATA;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, 0x00c01200UL);
	/* invisible, null, beyond: ZF clear and the destination kept */
	r.dx = 0x5555;
	r.ax = S_DATA | 3;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
	ck_assert_uint_eq(r.dx, 0x5555);
	r.flags |= ZF;
	r.ax = 0;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
	r.flags |= ZF;
	r.ax = S_BEYOND;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
	ck_assert_uint_eq(r.dx, 0x5555);
	/* visible from RPL 3: DPL 3 data and conforming code */
	r.ax = S_UDATA | 3;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	r.ax = S_CONF | 3;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx & 0xff00, 0x9e00);
}
END_TEST

START_TEST(test_lar_lsl_system)
{
	r.ax = S_TSS;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, TSS_LIMIT);
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.dx, 0x8900);
	r.ax = S_LDT;
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, sizeof(ldt) - 1);
	/* a call gate has access rights but no limit */
	r.ax = S_GATE;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, 0x8c00);
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
	/* system descriptors are never readable or writable segments */
	r.flags |= ZF;
	ck_assert_int_eq(RUN(i_verr), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
	r.ax = S_TSS16;
	r.dx = 0;
	ck_assert_int_eq(RUN(i_lsl), 0);
#ifdef __x86_64__
	/* long mode has no 16-bit TSS, and no task gate */
	ck_assert_uint_eq(r.flags & ZF, 0);
	ck_assert_uint_eq(r.dx, 0);
	r.ax = S_TASKGATE;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
	/* a 16-byte descriptor must fit in the table */
	v.gdtr.limit = S_TSS + 7;
	r.ax = S_TSS;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
#else
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, 0x2b);
	/* a task gate: access rights, no limit */
	r.ax = S_TASKGATE;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);
	ck_assert_uint_eq(r.dx, 0x8500);
	ck_assert_int_eq(RUN(i_lsl), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);
	v.gdtr.limit = S_TSS + 7;
	r.ax = S_TSS;
	ck_assert_int_eq(RUN(i_lar), 0);
	ck_assert_uint_eq(r.flags & ZF, ZF);		/* 8 bytes are the whole of it */
#endif
}
END_TEST

START_TEST(test_verr_verw)
{
	static const struct { unsigned int sel, verr, verw; } cases[] = {
		{ S_CODE, 1, 0 },		/* readable code */
		{ S_XCODE, 0, 0 },		/* execute-only */
		{ S_DATA, 1, 1 },
		{ S_RODATA, 1, 0 },
		{ S_NPDATA, 1, 1 },		/* P is not checked */
		{ S_DATA | 3, 0, 0 },		/* RPL 3 > DPL 0 */
		{ S_UDATA | 3, 1, 1 },
		{ S_CONF | 3, 1, 0 },		/* conforming: any RPL */
		{ S_TSS, 0, 0 },
		{ 0, 0, 0 },
		{ S_BEYOND, 0, 0 },
	};
	unsigned int i;
	uint16_t sel;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r.ax = cases[i].sel;
		r.flags = cases[i].verr ? 0 : ZF;	/* the opposite of what is expected */
		ck_assert_int_eq(RUN(i_verr), 0);
		ck_assert_uint_eq(r.flags & ZF, cases[i].verr ? ZF : 0);
		sel = (uint16_t)cases[i].sel;
		r.di = (unsigned long)&sel;
		r.flags = cases[i].verw ? 0 : ZF;
		ck_assert_int_eq(RUN(i_verw_m), 0);
		ck_assert_uint_eq(r.flags & ZF, cases[i].verw ? ZF : 0);
		r.ax = cases[i].sel;
		r.flags = cases[i].verw ? 0 : ZF;
		ck_assert_int_eq(RUN(i_verw), 0);
		ck_assert_uint_eq(r.flags & ZF, cases[i].verw ? ZF : 0);
	}
	v.cpl = 3;
	r.ax = S_DATA | 3;
	ck_assert_int_eq(RUN(i_verr), 0);
	ck_assert_uint_eq(r.flags & ZF, 0);		/* CPL 3 > DPL 0 */
}
END_TEST

START_TEST(test_lret)
{
	uint32_t st32[4] = { 0x401000, S_CODE, 0, 0 };

	/* lretl: 32-bit slots in both modes */
	r.sp = (unsigned long)st32;
	r.ip = 0x1111;
	ck_assert_int_eq(RUN(i_lretl), 0);
	ck_assert_uint_eq(r.ip, 0x401000);
	ck_assert_uint_eq(s.cs, S_CODE);
	ck_assert_uint_eq(r.sp, (unsigned long)&st32[2]);
	ck_assert_int_eq(access_byte(gdt, S_CODE), 0x9b);	/* %cs loads set it too */
#ifdef __x86_64__
	unsigned long st[6] = { 0xffffffff81000000UL, S_CONF, 0, 0, 0, 0 };

	r.sp = (unsigned long)st;
	ck_assert_int_eq(RUN(i_lretq), 0);
	ck_assert_uint_eq(r.ip, 0xffffffff81000000UL);
	ck_assert_uint_eq(s.cs, S_CONF);
	ck_assert_uint_eq(r.sp, (unsigned long)&st[2]);
	/* with an immediate: that many more bytes */
	st[0] = 0x402000;
	st[1] = S_CODE;
	r.sp = (unsigned long)st;
	ck_assert_int_eq(RUN(i_lretq_imm), 0);
	ck_assert_uint_eq(r.ip, 0x402000);
	ck_assert_uint_eq(r.sp, (unsigned long)&st[2] + 0x10);
	/* a non-canonical target */
	st[0] = 0x0000800000000000UL;
	r.sp = (unsigned long)st;
	FAULT(i_lretq, GP, 0);
	/* to 32-bit code: a mode switch, not done in place */
	st[0] = 0x402000;
	st[1] = S_OTHER;
	ck_assert_int_eq(RUN(i_lretq), -1);
#else
	unsigned long st[6] = { 0x402000, S_CODE, 0, 0, 0, 0 };

	r.sp = (unsigned long)st;
	ck_assert_int_eq(RUN(i_lret_imm), 0);
	ck_assert_uint_eq(r.ip, 0x402000);
	ck_assert_uint_eq(r.sp, (unsigned long)&st[2] + 0x10);
	/* to 16-bit code: not done in place */
	st[1] = S_OTHER;
	r.sp = (unsigned long)st;
	ck_assert_int_eq(RUN(i_lretl), -1);
#endif
	ck_assert(!memcmp(&r, &before, sizeof(r)));
	/* the faults, with the stack as it was */
	r.sp = (unsigned long)st32;
	st32[1] = 0;
	FAULT(i_lretl, GP, 0);
	st32[1] = S_DATA;
	FAULT(i_lretl, GP, S_DATA);			/* not code */
	st32[1] = S_NPCODE;
	FAULT(i_lretl, NP, S_NPCODE);
	st32[1] = S_BEYOND;
	FAULT(i_lretl, GP, S_BEYOND);
	st32[1] = S_UCODE;				/* RPL 0 != DPL 3 */
	FAULT(i_lretl, GP, S_UCODE);
	/* to an outer level: the backend's, with its stack switch */
	st32[1] = S_UCODE | 3;
	ck_assert_int_eq(RUN(i_lretl), -1);
	ck_assert(!memcmp(&r, &before, sizeof(r)));
	/* to an inner level: never */
	v.cpl = 3;
	st32[1] = S_CODE;
	FAULT(i_lretl, GP, S_CODE);
}
END_TEST

START_TEST(test_ljmp)
{
	struct __attribute__((packed)) { uint32_t off; uint16_t sel; } p = { 0x403000, S_CODE | 0 };

	r.di = (unsigned long)&p;
	r.sp = 0x7000;
	ck_assert_int_eq(RUN(i_ljmp_m), 0);
	ck_assert_uint_eq(r.ip, 0x403000);
	ck_assert_uint_eq(s.cs, S_CODE);
	ck_assert_uint_eq(r.sp, 0x7000);
	ck_assert_int_eq(access_byte(gdt, S_CODE), 0x9b);
	/* conforming: the new cs gets the current privilege as its RPL */
	p.sel = S_CONF | 2;
	v.cpl = 0;
	ck_assert_int_eq(RUN(i_ljmp_m), 0);
	ck_assert_uint_eq(s.cs, S_CONF);
	p.sel = S_UCONF;
	FAULT(i_ljmp_m, GP, S_UCONF);			/* conforming: DPL > CPL */
	p.sel = S_CODE | 3;
	FAULT(i_ljmp_m, GP, S_CODE);			/* non-conforming: RPL > CPL */
	p.sel = S_UCODE;
	FAULT(i_ljmp_m, GP, S_UCODE);			/* non-conforming: DPL != CPL */
	p.sel = S_NPCODE;
	FAULT(i_ljmp_m, NP, S_NPCODE);
	p.sel = S_DATA;
	FAULT(i_ljmp_m, GP, S_DATA);
	/* gates are not done here; a TSS is a task switch (long mode: #GP) */
	p.sel = S_GATE;
	ck_assert_int_eq(RUN(i_ljmp_m), -1);
	p.sel = S_TSS;
#ifdef __x86_64__
	FAULT(i_ljmp_m, GP, S_TSS);
	struct __attribute__((packed)) { uint64_t off; uint16_t sel; } q = {
		0xffffffff81234567UL, S_CODE };

	r.di = (unsigned long)&q;
	ck_assert_int_eq(RUN(i_ljmpq_m), 0);
	ck_assert_uint_eq(r.ip, 0xffffffff81234567UL);
	q.off = 0x1234567890abcdefUL;
	FAULT(i_ljmpq_m, GP, 0);			/* not canonical */
	q.off = 0x00ff000000000000UL;
	v.cr4 = 1UL << 12;				/* LA57: 57 bits are canonical */
	ck_assert_int_eq(RUN(i_ljmpq_m), 0);
	ck_assert_uint_eq(r.ip, 0x00ff000000000000UL);
#else
	ck_assert_int_eq(RUN(i_ljmp_m), -1);
	/* legacy mode checks the offset against the limit */
	p.sel = S_SMALL;
	p.off = 0x10000;
	FAULT(i_ljmp_m, GP, 0);
	p.off = 0xffff;
	ck_assert_int_eq(RUN(i_ljmp_m), 0);
	ck_assert_uint_eq(r.ip, 0xffff);
	ck_assert_uint_eq(s.cs, S_SMALL);
	/* the direct form, ptr16:32 */
	r.ip = 0;
	ck_assert_int_eq(RUN(i_ljmp_dir), 0);
	ck_assert_uint_eq(r.ip, 0x403000);
	ck_assert_uint_eq(s.cs, S_CONF);
#endif
}
END_TEST

START_TEST(test_lcall)
{
	struct __attribute__((packed)) { uint32_t off; uint16_t sel; } p = { 0x404000, S_CONF };
	uint32_t st32[4] = { 0xaaaaaaaa, 0xaaaaaaaa, 0xaaaaaaaa, 0xaaaaaaaa };

	s.cs = S_CODE;
	r.di = (unsigned long)&p;
	r.sp = (unsigned long)&st32[4];
	r.ip = 0x1234;				/* past the sled: the return address */
	ck_assert_int_eq(RUN(i_lcall_m), 0);
	ck_assert_uint_eq(r.sp, (unsigned long)&st32[2]);
	ck_assert_uint_eq(st32[2], 0x1234);
	ck_assert_uint_eq(st32[3], S_CODE);
	ck_assert_uint_eq(s.cs, S_CONF);
	ck_assert_uint_eq(r.ip, 0x404000);
	/* a faulting call pushes nothing */
	p.sel = S_NPCODE;
	FAULT(i_lcall_m, NP, S_NPCODE);
	ck_assert_uint_eq(st32[1], 0xaaaaaaaa);
#ifdef __x86_64__
	unsigned long st[4] = { 0, 0, 0, 0 };
	struct __attribute__((packed)) { uint64_t off; uint16_t sel; } q = {
		0xffffffff81000000UL, S_CODE };

	r.di = (unsigned long)&q;
	r.sp = (unsigned long)&st[4];
	r.ip = 0xffffffff80001234UL;
	ck_assert_int_eq(RUN(i_lcallq_m), 0);
	ck_assert_uint_eq(r.sp, (unsigned long)&st[2]);
	ck_assert_uint_eq(st[2], 0xffffffff80001234UL);
	ck_assert_uint_eq(st[3], S_CONF);		/* the caller's cs */
	ck_assert_uint_eq(s.cs, S_CODE);
	ck_assert_uint_eq(r.ip, 0xffffffff81000000UL);
#else
	uint32_t st[4] = { 0, 0, 0, 0 };

	s.cs = S_CODE;
	r.sp = (unsigned long)&st[4];
	r.ip = 0x5678;
	ck_assert_int_eq(RUN(i_lcall_dir), 0);
	ck_assert_uint_eq(r.sp, (unsigned long)&st[2]);
	ck_assert_uint_eq(st[2], 0x5678);
	ck_assert_uint_eq(st[3], S_CODE);
	ck_assert_uint_eq(s.cs, S_CONF);
	ck_assert_uint_eq(r.ip, 0x405000);
#endif
}
END_TEST

START_TEST(test_ltr)
{
	r.ax = S_TSS;
	ck_assert_int_eq(RUN(i_ltr), 0);
	ck_assert_uint_eq(v.tr, S_TSS);
	ck_assert_int_eq(access_byte(gdt, S_TSS), 0x8b);	/* busy */
	FAULT(i_ltr, GP, S_TSS);			/* a busy TSS cannot be loaded */
	v.tr = 0;
	r.ax = 0;
	FAULT(i_ltr, GP, 0);
	r.ax = L_DATA;
	FAULT(i_ltr, GP, L_DATA);			/* never from the LDT */
	r.ax = S_DATA;
	FAULT(i_ltr, GP, S_DATA);
	r.ax = S_LDT;
	FAULT(i_ltr, GP, S_LDT);
	r.ax = S_NPTSS;
	FAULT(i_ltr, NP, S_NPTSS);
	r.ax = S_BEYOND;
	FAULT(i_ltr, GP, S_BEYOND);
	r.ax = S_TSS16;
#ifdef __x86_64__
	FAULT(i_ltr, GP, S_TSS16);			/* no 16-bit TSS in long mode */
#else
	ck_assert_int_eq(RUN(i_ltr), 0);
	ck_assert_uint_eq(v.tr, S_TSS16);
	ck_assert_int_eq(access_byte(gdt, S_TSS16), 0x83);
#endif
	v.tr = 0;
	v.cpl = 3;
	gdt[S_TSS >> 3] &= ~(2ULL << 40);
	r.ax = S_TSS;
	FAULT(i_ltr, GP, 0);				/* privileged */
	ck_assert_uint_eq(v.tr, 0);
}
END_TEST

START_TEST(test_not_handled)
{
	unsigned long n = v.emulated;

	ck_assert_int_eq(RUN(i_cli), -1);
	ck_assert_uint_eq(v.emulated, n);
	ck_assert(previrt_vseg_handles_op(PV_OP_MOV_TO_SEG));
	ck_assert(previrt_vseg_handles_op(PV_OP_LRET));
	ck_assert(previrt_vseg_handles_op(PV_OP_LTR));
	ck_assert(!previrt_vseg_handles_op(PV_OP_LLDT));
	ck_assert(!previrt_vseg_handles_op(PV_OP_IRET));
	ck_assert(previrt_vseg_emulates_class(PREVIRT_CLASS_SEG_WRITE));
	ck_assert(previrt_vseg_emulates_class(PREVIRT_CLASS_FAR_XFER));
	ck_assert(previrt_vseg_emulates_class(PREVIRT_CLASS_SEG_CHECK));
	ck_assert(previrt_vseg_emulates_class(PREVIRT_CLASS_SEG_READ));
	ck_assert(!previrt_vseg_emulates_class(PREVIRT_CLASS_KRET));
	ck_assert(!previrt_vseg_emulates_class(PREVIRT_CLASS_DESC_LOAD));
	/* %cs is not a data segment register */
	ck_assert_int_eq(previrt_vseg_load(&v, &s, PV_SEG_CS, S_CODE, &f), -1);
	ck_assert_int_eq(previrt_vseg_load(&v, &s, PV_SEG_GS, S_BASED, &f), 0);
	ck_assert_uint_eq(s.gs, S_BASED);
	ck_assert(previrt_vseg_sreg(&s, PV_SEG_SS) == &s.ss);
	ck_assert(previrt_vseg_sreg(&s, 6) == 0);
}
END_TEST

#define TESTS(X) \
	X(test_load_data_segment) X(test_load_faults) X(test_load_at_cpl3) X(test_load_ss) \
	X(test_fs_gs_base) X(test_pop_segment) X(test_load_far_pointer) X(test_ldt) \
	X(test_segment_reads) X(test_lar_lsl) X(test_lar_lsl_system) X(test_verr_verw) \
	X(test_lret) X(test_ljmp) X(test_lcall) X(test_ltr) X(test_not_handled)

#ifdef VSEG_TAP
int main(void)
{
#define RUN_ONE(t) setup(); t();
	TESTS(RUN_ONE)
	return rt_done();
}
#else
int main(void)
{
	Suite *su = suite_create("vseg");
	TCase *t = tcase_create("emulate");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, setup, NULL);
#define ADD_ONE(name) tcase_add_test(t, name);
	TESTS(ADD_ONE)
	suite_add_tcase(su, t);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
#endif
