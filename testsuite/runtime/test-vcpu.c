// SPDX-License-Identifier: MIT
/*
 * The virtual CPU model's emulation, as pure logic: decoded instructions
 * (assembled by gas, as in test-decode.c) applied to a register frame in
 * memory, nothing executed.  What is checked is what a backend relies on
 * and what is easy to get subtly wrong: register widths (%ah, 32-bit
 * zero-extension, 16-bit merge), popf's IF and which flags it may touch,
 * string I/O with rep and DF, sign extension of MMIO loads, lmsw's
 * sticky PE, rip-relative and %gs-relative operands, the stack for
 * push/pop, and a clear "no" for what the model does not emulate.
 */
#include <check.h>
#include <string.h>
#include <previrt/vcpu.h>

#define ASM64(id, text) \
	__asm__(".pushsection .rodata\n" #id "_s:\n\t" text "\n" #id "_e:\n.popsection\n"); \
	extern const unsigned char id##_s[], id##_e[];

ASM64(i_in_ah, "inb $0x60,%al")
ASM64(i_inw_dx, "inw (%dx),%ax")
ASM64(i_inl_dx, "inl (%dx),%eax")
ASM64(i_popf, "popfq")
ASM64(i_pushfw, "pushfw")
ASM64(i_rep_insb, "rep insb (%dx),%es:(%rdi)")
ASM64(i_rep_outsw, "rep outsw %ds:(%rsi),(%dx)")
ASM64(i_movsbl, "movsbl (%rdi),%ecx")
ASM64(i_movzwl, "movzwl (%rdi),%ecx")
ASM64(i_mov_ah, "movb (%rdi),%ah")
ASM64(i_movw_st, "movw %bx,(%rdi)")
ASM64(i_movl_imm, "movl $-2,(%rdi)")
ASM64(i_movq_gs, "movq %gs:8,%rdx")
ASM64(i_lidt_rip, "lidt 0x100(%rip)")
ASM64(i_lmsw, "lmsw %ax")
ASM64(i_smsw_m, "smsw (%rdi)")
ASM64(i_rdcr8, "mov %cr8,%r10")
ASM64(i_rdmsr, "rdmsr")
ASM64(i_swapgs, "swapgs")
ASM64(i_push_fs, "push %fs")
ASM64(i_ljmp, "ljmp *(%rax)")
ASM64(i_iretq, "iretq")
ASM64(i_mov_ds, "mov %eax,%ds")
ASM64(i_xsetbv, "xsetbv")
ASM64(i_hlt, "hlt")
ASM64(i_mwait, "mwait %eax,%ecx")

static struct previrt_vcpu v;
static struct previrt_regs r;
static struct pv_x86_insn in;
static struct previrt_site site;	/* only its sled address matters (rip-relative) */
static uint32_t ports_val;
static unsigned int last_port, last_size, nouts;
static uint32_t out_vals[16];

static uint32_t pin(struct previrt_vcpu *vc, unsigned int port, unsigned int size)
{
	(void)vc;
	last_port = port;
	last_size = size;
	return ports_val++;
}

static void pout(struct previrt_vcpu *vc, unsigned int port, unsigned int size, uint32_t val)
{
	(void)vc;
	last_port = port;
	last_size = size;
	if (nouts < 16)
		out_vals[nouts++] = val;
}

static struct previrt_vmm_ops ops;

static void setup(void)
{
	memset(&v, 0, sizeof(v));
	memset(&r, 0, sizeof(r));
	memset(&ops, 0, sizeof(ops));
	ops.port_in = pin;
	ops.port_out = pout;
	v.ops = &ops;
	ports_val = 0x11223344;
	nouts = 0;
}

static int emulate(const unsigned char *s, const unsigned char *e)
{
	ck_assert_int_eq(pv_x86_decode(s, (size_t)(e - s), 64, &in), (int)(e - s));
	return previrt_vcpu_emulate(&v, &r, &in, &site);
}
#define EMU(id) emulate(id##_s, id##_e)

START_TEST(test_in_widths)
{
	r.ax = 0xffffffffffffffffUL;
	ck_assert_int_eq(EMU(i_in_ah), 0);
	ck_assert_uint_eq(r.ax, 0xffffffffffffff44UL);	/* 8-bit: rest kept */
	ck_assert_uint_eq(last_port, 0x60);
	r.dx = 0xabcd0070;
	ck_assert_int_eq(EMU(i_inw_dx), 0);
	ck_assert_uint_eq(r.ax, 0xffffffffffff3345UL);	/* 16-bit: rest kept */
	ck_assert_uint_eq(last_port, 0x70);		/* only %dx's low 16 bits */
	ck_assert_int_eq(EMU(i_inl_dx), 0);
	ck_assert_uint_eq(r.ax, 0x11223346UL);		/* 32-bit: zero-extended */
}
END_TEST

START_TEST(test_popf_if_and_flags)
{
	unsigned long stack[2] = { 0x200 | 0x1 | 0x100 | 0x3000, 0 };

	r.sp = (unsigned long)stack;
	r.flags = 0x2;
	ck_assert_int_eq(EMU(i_popf), 0);
	ck_assert_int_eq(v.if_flag, 1);
	ck_assert_uint_eq(r.sp, (unsigned long)&stack[1]);
	ck_assert_uint_eq(r.flags & 0x1, 0x1);		/* CF taken */
	ck_assert_uint_eq(r.flags & 0x100, 0);		/* TF never */
	ck_assert_uint_eq(r.flags & 0x3000, 0);		/* IOPL never */
	ck_assert_uint_eq(r.flags & 0x200, 0);		/* real IF untouched */
}
END_TEST

START_TEST(test_pushfw)
{
	unsigned char stack[16];

	memset(stack, 0xee, sizeof(stack));
	r.sp = (unsigned long)(stack + 8);
	r.flags = 0x246;	/* host IF set */
	v.if_flag = 0;
	ck_assert_int_eq(EMU(i_pushfw), 0);
	ck_assert_uint_eq(r.sp, (unsigned long)(stack + 6));
	ck_assert_int_eq(stack[6] | stack[7] << 8, 0x46);	/* virtual IF clear */
	ck_assert_int_eq(stack[5], 0xee);
}
END_TEST

START_TEST(test_rep_ins_outs)
{
	unsigned char buf[8] = { 0 };
	uint16_t words[3] = { 0x1111, 0x2222, 0x3333 };

	r.di = (unsigned long)buf;
	r.cx = 3;
	r.dx = 0x3f8;
	ports_val = 0x41;
	ck_assert_int_eq(EMU(i_rep_insb), 0);
	ck_assert_mem_eq(buf, "\x41\x42\x43\x00", 4);
	ck_assert_uint_eq(r.cx, 0);
	ck_assert_uint_eq(r.di, (unsigned long)(buf + 3));

	/* DF set: backwards, from the last word */
	r.si = (unsigned long)&words[2];
	r.cx = 3;
	r.flags = 0x400;
	ck_assert_int_eq(EMU(i_rep_outsw), 0);
	ck_assert_uint_eq(nouts, 3);
	ck_assert_uint_eq(out_vals[0], 0x3333);
	ck_assert_uint_eq(out_vals[2], 0x1111);
	ck_assert_uint_eq(last_size, 2);
	ck_assert_uint_eq(r.si, (unsigned long)&words[0] - 2);
}
END_TEST

START_TEST(test_mmio_moves)
{
	unsigned char mem[8] = { 0x80, 0xff, 0, 0, 0, 0, 0, 0 };

	r.di = (unsigned long)mem;
	r.cx = 0xffffffffffffffffUL;
	ck_assert_int_eq(EMU(i_movsbl), 0);
	ck_assert_uint_eq(r.cx, 0xffffff80UL);		/* sign-extended to 32, zero above */
	ck_assert_int_eq(EMU(i_movzwl), 0);
	ck_assert_uint_eq(r.cx, 0xff80UL);
	r.ax = 0x1234;
	ck_assert_int_eq(EMU(i_mov_ah), 0);
	ck_assert_uint_eq(r.ax, 0x8034);		/* %ah without REX */
	r.bx = 0xaabbccdd;
	ck_assert_int_eq(EMU(i_movw_st), 0);
	ck_assert_int_eq(mem[0], 0xdd);
	ck_assert_int_eq(mem[1], 0xcc);
	ck_assert_int_eq(mem[2], 0x00);
	ck_assert_int_eq(EMU(i_movl_imm), 0);
	ck_assert_mem_eq(mem, "\xfe\xff\xff\xff\x00", 5);
}
END_TEST

START_TEST(test_gs_relative)
{
	uint64_t percpu[2] = { 0, 0x1122334455667788ULL };

	v.gs_base = (unsigned long)percpu;
	ck_assert_int_eq(EMU(i_movq_gs), 0);
	ck_assert_uint_eq(r.dx, 0x1122334455667788UL);
	/* swapgs exchanges the bases the model keeps */
	v.kernel_gs_base = 0x1000;
	ck_assert_int_eq(EMU(i_swapgs), 0);
	ck_assert_uint_eq(v.gs_base, 0x1000);
	ck_assert_uint_eq(v.kernel_gs_base, (unsigned long)percpu);
}
END_TEST

/* "sti; hlt" as one site: IF is on when the wait starts, in the same step. */
static int idle_saw_if;
static void idle_hook(struct previrt_vcpu *vc)
{
	idle_saw_if = vc->if_flag ? 1 : -1;
}

START_TEST(test_sti_pair_waits_with_if)
{
	ops.idle = idle_hook;
	v.if_flag = 0;
	site.flags = PREVIRT_F_STI_PAIR;
	ck_assert_int_eq(EMU(i_hlt), 0);
	ck_assert_int_eq(idle_saw_if, 1);
	ck_assert_int_eq(v.if_flag, 1);
	v.if_flag = 0;
	idle_saw_if = 0;
	ck_assert_int_eq(EMU(i_mwait), 0);
	ck_assert_int_eq(idle_saw_if, 1);
	/* a plain hlt leaves IF as it was */
	v.if_flag = 0;
	site.flags = 0;
	ck_assert_int_eq(EMU(i_hlt), 0);
	ck_assert_int_eq(idle_saw_if, -1);
	ck_assert_int_eq(v.if_flag, 0);
}
END_TEST

/* A pad-first sled: rip-relative operands count from where the instruction ends. */
START_TEST(test_rip_relative_pad_first)
{
	static unsigned char area[0x200] __attribute__((aligned(8)));
	struct previrt_site *s = &site;
	int len = (int)(i_lidt_rip_e - i_lidt_rip_s);

	s->sled_rel = (int)((char *)area - (char *)&s->sled_rel);
	s->flags = PREVIRT_F_PAD_FIRST;
	s->sled_len = 16;
	s->insn_len = (unsigned char)len;
	memcpy(area + 16 + 0x100, "\x3f\x00\x00\x20\x00\x00\x00\x00\x00\x00", 10);
	ck_assert_int_eq(EMU(i_lidt_rip), 0);
	ck_assert_uint_eq(v.idtr.limit, 0x3f);
	ck_assert_uint_eq(v.idtr.base, 0x2000);
	s->flags = 0;
}
END_TEST

START_TEST(test_rip_relative_uses_the_sled)
{
	/* the operand is relative to where the instruction was: sled + len */
	static unsigned char area[0x200] __attribute__((aligned(8)));
	struct previrt_site *s = &site;
	int len = (int)(i_lidt_rip_e - i_lidt_rip_s);

	s->sled_rel = (int)((char *)area - (char *)&s->sled_rel);
	memcpy(area + len + 0x100, "\x7f\x00\x00\x10\x00\x00\x00\x00\x00\x00", 10);
	ck_assert_int_eq(EMU(i_lidt_rip), 0);
	ck_assert_uint_eq(v.idtr.limit, 0x7f);
	ck_assert_uint_eq(v.idtr.base, 0x1000);
}
END_TEST

START_TEST(test_cr_rules)
{
	uint16_t msw = 0;

	v.cr0 = 0x80000011;	/* PG, ET, PE */
	r.ax = 0x0;
	ck_assert_int_eq(EMU(i_lmsw), 0);
	ck_assert_uint_eq(v.cr0, 0x80000011);	/* lmsw cannot clear PE */
	r.ax = 0xe;
	ck_assert_int_eq(EMU(i_lmsw), 0);
	ck_assert_uint_eq(v.cr0, 0x8000001f);
	r.di = (unsigned long)&msw;
	ck_assert_int_eq(EMU(i_smsw_m), 0);
	ck_assert_uint_eq(msw, 0x001f);
	v.cr8 = 0xf;
	ck_assert_int_eq(EMU(i_rdcr8), 0);
	ck_assert_uint_eq(r.r10, 0xf);
}
END_TEST

START_TEST(test_msr_unknown_reads_zero)
{
	r.cx = 0x1234;
	r.ax = r.dx = 0xdead;
	ck_assert_int_eq(EMU(i_rdmsr), 0);
	ck_assert_uint_eq(r.ax, 0);
	ck_assert_uint_eq(r.dx, 0);
	ck_assert_int_eq(previrt_vcpu_set_msr(&v, 0x1234, 0x100000002ULL), 0);
	ck_assert_int_eq(EMU(i_rdmsr), 0);
	ck_assert_uint_eq(r.ax, 2);
	ck_assert_uint_eq(r.dx, 1);
}
END_TEST

START_TEST(test_msr_store_full)
{
	unsigned int i;

	for (i = 0; i < PREVIRT_VCPU_MSRS; i++)
		ck_assert_int_eq(previrt_vcpu_set_msr(&v, 0x100 + i, i), 0);
	ck_assert_int_eq(previrt_vcpu_set_msr(&v, 0x999, 1), -1);
	ck_assert_int_eq(previrt_vcpu_set_msr(&v, 0x100, 7), 0);	/* overwrite still works */
}
END_TEST

START_TEST(test_push_seg_rpl)
{
	unsigned long stack[2] = { 0, 0 };

	r.sp = (unsigned long)&stack[1];
	v.cpl = 0;
	ck_assert_int_eq(EMU(i_push_fs), 0);
	ck_assert_uint_eq(r.sp, (unsigned long)&stack[0]);
	ck_assert_uint_eq(stack[0] & 3, 0);
}
END_TEST

/* xsetbv through the emulation: the core's checks, the fault reported, XCR0 kept. */
START_TEST(test_xsetbv_faults)
{
	v.xcr0 = 1;
	r.cx = 0;
	r.ax = 3;
	r.dx = 0;
	ck_assert_int_eq(EMU(i_xsetbv), PREVIRT_VCPU_FAULT);	/* CR4.OSXSAVE clear */
	ck_assert_uint_eq(v.fault.vector, PV_VEC_UD);
	ck_assert_int_eq(v.fault.has_error, 0);
	v.cr4 = PV_CR4_OSXSAVE;
	r.cx = 1;						/* no XCR1 */
	ck_assert_int_eq(EMU(i_xsetbv), PREVIRT_VCPU_FAULT);
	ck_assert_uint_eq(v.fault.vector, PV_VEC_GP);
	ck_assert_int_eq(v.fault.has_error, 1);
	ck_assert_uint_eq(v.fault.error, 0);
	ck_assert_uint_eq(v.xcr0, 1);
	r.cx = 0;
	ck_assert_int_eq(EMU(i_xsetbv), 0);
	ck_assert_uint_eq(v.xcr0, 3);
}
END_TEST

START_TEST(test_not_emulated)
{
	unsigned long before = v.emulated;

	ck_assert_int_eq(EMU(i_ljmp), -1);
	ck_assert_int_eq(EMU(i_iretq), -1);
	ck_assert_int_eq(EMU(i_mov_ds), -1);
	ck_assert_uint_eq(v.emulated, before);
	ck_assert(!previrt_vcpu_emulates_class(PREVIRT_CLASS_FAR_XFER));
	ck_assert(!previrt_vcpu_emulates_class(PREVIRT_CLASS_KRET));
	ck_assert(previrt_vcpu_emulates_class(PREVIRT_CLASS_CLI));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vcpu");
	TCase *t = tcase_create("emulate");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, test_in_widths);
	tcase_add_test(t, test_sti_pair_waits_with_if);
	tcase_add_test(t, test_rip_relative_pad_first);
	tcase_add_test(t, test_popf_if_and_flags);
	tcase_add_test(t, test_pushfw);
	tcase_add_test(t, test_rep_ins_outs);
	tcase_add_test(t, test_mmio_moves);
	tcase_add_test(t, test_gs_relative);
	tcase_add_test(t, test_rip_relative_uses_the_sled);
	tcase_add_test(t, test_cr_rules);
	tcase_add_test(t, test_msr_unknown_reads_zero);
	tcase_add_test(t, test_msr_store_full);
	tcase_add_test(t, test_push_seg_rpl);
	tcase_add_test(t, test_xsetbv_faults);
	tcase_add_test(t, test_not_emulated);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
