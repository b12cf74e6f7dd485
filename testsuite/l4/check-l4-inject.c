/* SPDX-License-Identifier: MIT */
/*
 * Entering the guest's IDT handlers (l4-inject.c), hosted: an IDT, a GDT
 * with a TSS and two stacks in memory below 4 GiB (the L4 words are 32
 * bits), and the frames the code builds checked against what an i386 CPU
 * pushes: same privilege (eflags, cs, eip [, error]), from CPL 3 (ss, esp
 * first, on the TSS's ESP0 stack), interrupt vs trap gates, the DPL check
 * of a software interrupt, absent gates.
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include "check-l4.h"
#include "l4-backend.h"

struct l4_vmm l4_vmm;

#define MEM_SIZE	0x10000u
#define IDT		0x0000u
#define GDT		0x1000u
#define TSS		0x2000u
#define KSTACK_TOP	0x8000u		/* the TSS's ESP0 */
#define CUR_STACK_TOP	0xc000u		/* where the interrupted kernel code was */
#define USER_STACK	0x4000u
#define TSS_SEL		0x28
#define FL_IF		0x200u

static unsigned char *mem;

static l4_word_t at(uint32_t off)
{
	return (l4_word_t)(uintptr_t)(mem + off);
}

static l4_word_t word(l4_word_t addr)
{
	return *(const l4_word_t *)(uintptr_t)addr;
}

/* A 32-bit gate: type 0xe (interrupt) or 0xf (trap), present. */
static void gate(unsigned int vector, l4_word_t handler, unsigned int type, unsigned int dpl)
{
	unsigned char *g = mem + IDT + 8 * vector;

	memset(g, 0, 8);
	g[0] = (unsigned char)handler;
	g[1] = (unsigned char)(handler >> 8);
	g[2] = 0x08;
	g[5] = (unsigned char)(0x80 | dpl << 5 | type);
	g[6] = (unsigned char)(handler >> 16);
	g[7] = (unsigned char)(handler >> 24);
}

static void setup(void)
{
	mem = mmap(0, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		   -1, 0);
	ck_assert_ptr_ne(mem, MAP_FAILED);
	memset(&l4_vmm, 0, sizeof(l4_vmm));
	l4_vmm.cpu.idtr.base = at(IDT);
	l4_vmm.cpu.idtr.limit = 256 * 8 - 1;
	l4_vmm.cpu.gdtr.base = at(GDT);
	l4_vmm.cpu.gdtr.limit = 0x2f;
	l4_vmm.cpu.tr = TSS_SEL;
	/* the TSS descriptor's base (bits 16..39 and 56..63), and the TSS's ESP0 */
	l4_word_t tss = at(TSS);
	unsigned char *d = mem + GDT + TSS_SEL;
	d[2] = (unsigned char)tss, d[3] = (unsigned char)(tss >> 8);
	d[4] = (unsigned char)(tss >> 16), d[7] = (unsigned char)(tss >> 24);
	d[5] = 0x8b;
	*(l4_word_t *)(mem + TSS + 4) = at(KSTACK_TOP);
	l4_vmm.seg.cs = 0x08;
	l4_vmm.seg.ss = 0x10;
	l4_vmm.cpu.if_flag = 1;
}

static void teardown(void)
{
	munmap(mem, MEM_SIZE);
}

START_TEST(same_privilege_interrupt_gate)
{
	struct l4_guest_ctx c = { 0x80101234u, at(CUR_STACK_TOP), 0x202u | 0x1u /* CF */ };

	gate(32, 0x80105000u, 0xe, 0);
	ck_assert_int_eq(l4_enter_guest(&c, 32, 0, 0, 0), 0);
	ck_assert_uint_eq(c.ip, 0x80105000u);
	ck_assert_uint_eq(c.sp, at(CUR_STACK_TOP) - 12);
	ck_assert_uint_eq(word(c.sp), 0x80101234u);		/* eip */
	ck_assert_uint_eq(word(c.sp + 4), 0x08);		/* the guest's cs */
	ck_assert_uint_eq(word(c.sp + 8) & (FL_IF | 1u), FL_IF | 1u);	/* its IF, real CF */
	ck_assert_int_eq(l4_vmm.cpu.if_flag, 0);		/* an interrupt gate clears IF */
	ck_assert_uint_eq(l4_vmm.guest_faults, 1);
}
END_TEST

START_TEST(error_code_and_trap_gate)
{
	struct l4_guest_ctx c = { 0x80101000u, at(CUR_STACK_TOP), 0x202u };

	gate(13, 0x80106000u, 0xf, 0);
	l4_vmm.cpu.if_flag = 0;
	ck_assert_int_eq(l4_enter_guest(&c, 13, 1, 0x28, 0), 0);
	ck_assert_uint_eq(c.sp, at(CUR_STACK_TOP) - 16);
	ck_assert_uint_eq(word(c.sp), 0x28);			/* error code on top */
	ck_assert_uint_eq(word(c.sp + 4), 0x80101000u);
	ck_assert_uint_eq(word(c.sp + 12) & FL_IF, 0);		/* IF was clear */
	l4_vmm.cpu.if_flag = 1;
	c = (struct l4_guest_ctx){ 0x80101000u, at(CUR_STACK_TOP), 0x202u };
	ck_assert_int_eq(l4_enter_guest(&c, 13, 1, 0, 0), 0);
	ck_assert_int_eq(l4_vmm.cpu.if_flag, 1);		/* a trap gate keeps IF */
}
END_TEST

START_TEST(from_user_mode_switches_stacks)
{
	struct l4_guest_ctx c = { 0x00400010u, at(USER_STACK), 0x202u };

	gate(0x80, 0x80107000u, 0xe, 3);
	l4_vmm.cpu.cpl = 3;
	l4_vmm.kernel_cs = 0x08;
	l4_vmm.kernel_ss = 0x10;
	l4_vmm.seg.cs = 0x53;
	l4_vmm.seg.ss = 0x4b;
	ck_assert_int_eq(l4_enter_guest(&c, 0x80, 0, 0, 1), 0);
	ck_assert_uint_eq(c.sp, at(KSTACK_TOP) - 20);		/* on ESP0 */
	ck_assert_uint_eq(word(c.sp), 0x00400010u);
	ck_assert_uint_eq(word(c.sp + 4), 0x53);		/* the user cs */
	ck_assert_uint_eq(word(c.sp + 12), at(USER_STACK));	/* the user esp */
	ck_assert_uint_eq(word(c.sp + 16), 0x4b);		/* the user ss */
	ck_assert_uint_eq(l4_vmm.cpu.cpl, 0);
	ck_assert_uint_eq(l4_vmm.seg.cs, 0x08);			/* back on the kernel's */
	ck_assert_uint_eq(l4_vmm.seg.ss, 0x10);
}
END_TEST

START_TEST(refused_gates)
{
	struct l4_guest_ctx c = { 0x00400010u, at(USER_STACK), 0x202u };

	/* int n from CPL 3 through a DPL 0 gate: refused (the caller raises #GP) */
	gate(0x81, 0x80107000u, 0xe, 0);
	l4_vmm.cpu.cpl = 3;
	ck_assert_int_eq(l4_enter_guest(&c, 0x81, 0, 0, 1), -1);
	ck_assert_uint_eq(c.ip, 0x00400010u);			/* nothing changed */
	ck_assert_uint_eq(l4_vmm.cpu.cpl, 3);
	/* the same vector raised by the CPU (not soft) does not check DPL */
	ck_assert_int_eq(l4_enter_guest(&c, 0x81, 0, 0, 0), 0);
	/* absent, beyond the IDT limit, a task gate */
	l4_vmm.cpu.cpl = 0;
	ck_assert_int_eq(l4_enter_guest(&c, 0x40, 0, 0, 0), -1);
	l4_vmm.cpu.idtr.limit = 8 * 16 - 1;
	ck_assert_int_eq(l4_enter_guest(&c, 32, 0, 0, 0), -1);
	l4_vmm.cpu.idtr.limit = 256 * 8 - 1;
	gate(8, 0x80108000u, 0x5, 0);
	ck_assert_int_eq(l4_enter_guest(&c, 8, 1, 0, 0), -1);
	/* from CPL 3 without a TSS there is no stack to switch to */
	gate(14, 0x80109000u, 0xe, 0);
	l4_vmm.cpu.cpl = 3;
	l4_vmm.cpu.tr = 0;
	ck_assert_int_eq(l4_enter_guest(&c, 14, 1, 4, 0), -1);
}
END_TEST

Suite *l4_inject_suite(void)
{
	Suite *s = suite_create("l4-inject");
	TCase *tc = tcase_create("inject");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, same_privilege_interrupt_gate);
	tcase_add_test(tc, error_code_and_trap_gate);
	tcase_add_test(tc, from_user_mode_switches_stacks);
	tcase_add_test(tc, refused_gates);
	suite_add_tcase(s, tc);
	return s;
}
