// SPDX-License-Identifier: MIT
/*
 * The CPU half of the VMM core (libprevirt/vmm/), as pure logic in user
 * space: the one flags mask (what pushf shows, what popf changes, bit by
 * bit), the one table of vectors that push an error code (29 and 30
 * included, from the APM), frames delivered as the CPU pushes them in
 * 64-bit and 32-bit mode, xsetbv's checks, where iret, sysret and
 * syscall go, and the fallback for an instruction no sled covers.  Every backend (Xen, L4) calls these same functions; these
 * tests pin the architectural behaviour they share.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include <previrt/vcpu.h>

static struct previrt_vcpu v;

static void setup(void)
{
	memset(&v, 0, sizeof(v));
}

/* ---- flags ---- */

START_TEST(popf_mask_bit_by_bit)
{
	/* every defined bit, popped with the real flags all clear */
	static const struct { unsigned long bit; int real, virt; } bits[] = {
		{ PV_FL_CF, 1, 0 }, { PV_FL_PF, 1, 0 }, { PV_FL_AF, 1, 0 }, { PV_FL_ZF, 1, 0 },
		{ PV_FL_SF, 1, 0 }, { PV_FL_OF, 1, 0 }, { PV_FL_DF, 1, 0 }, { PV_FL_ID, 1, 0 },
		{ PV_FL_IF, 0, 1 }, { PV_FL_AC, 0, 1 },
		{ PV_FL_TF, 0, 0 }, { PV_FL_NT, 0, 0 }, { PV_FL_IOPL, 0, 0 }, { PV_FL_RF, 0, 0 },
		{ PV_FL_VM, 0, 0 }, { PV_FL_VIF, 0, 0 }, { PV_FL_VIP, 0, 0 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		unsigned long real;

		memset(&v, 0, sizeof(v));
		real = previrt_vcpu_load_flags(&v, PV_FL_FIXED, bits[i].bit, 8);
		ck_assert_msg(!!(real & bits[i].bit) == bits[i].real, "bit %#lx real", bits[i].bit);
		ck_assert_msg((v.if_flag || v.ac_flag) == bits[i].virt, "bit %#lx virtual",
			      bits[i].bit);
		/* pushf reads back exactly what popf kept, real or virtual */
		ck_assert_msg(!!(previrt_vcpu_flags(&v, real) & bits[i].bit) ==
			      (bits[i].real || bits[i].virt), "bit %#lx read back", bits[i].bit);
	}
}
END_TEST

START_TEST(pushf_hides_real_if_and_iopl)
{
	unsigned long real = PV_FL_IF | PV_FL_IOPL | PV_FL_TF | PV_FL_NT | PV_FL_ZF;

	v.if_flag = 0;
	ck_assert_uint_eq(previrt_vcpu_flags(&v, real), PV_FL_ZF | PV_FL_FIXED);
	v.if_flag = 1;
	v.ac_flag = 1;
	ck_assert_uint_eq(previrt_vcpu_flags(&v, 0), PV_FL_IF | PV_FL_AC | PV_FL_FIXED);
	ck_assert_uint_eq(previrt_vcpu_flags_with(&v, 0, 0), PV_FL_AC | PV_FL_FIXED);
}
END_TEST

START_TEST(popfw_keeps_the_high_half)
{
	unsigned long real = PV_FL_ID | PV_FL_FIXED;

	v.ac_flag = 1;
	real = previrt_vcpu_load_flags(&v, real, PV_FL_CF | PV_FL_IF, 2);
	ck_assert_uint_eq(real, PV_FL_ID | PV_FL_CF | PV_FL_FIXED);
	ck_assert_int_eq(v.if_flag, 1);
	ck_assert_int_eq(v.ac_flag, 1);		/* AC is bit 18: not in a 16-bit popf */
}
END_TEST

START_TEST(the_mask_is_what_the_stubs_use)
{
	/* the asm stubs (xen-entry.S, l4-flags.S) and this file share the header */
	ck_assert_uint_eq(PV_FL_REAL, 0x200cd5UL);
	ck_assert_uint_eq(PV_FL_VIRTUAL, 0x40200UL);
	ck_assert_uint_eq(PV_FL_REAL & PV_FL_VIRTUAL, 0);
}
END_TEST

/* ---- error codes ---- */

START_TEST(error_code_vectors)
{
	static const unsigned int with[] = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };
	unsigned int vec, i, n = 0;

	for (vec = 0; vec < 256; vec++)
		n += (unsigned int)previrt_vector_has_error(vec);
	ck_assert_uint_eq(n, sizeof(with) / sizeof(with[0]));
	for (i = 0; i < sizeof(with) / sizeof(with[0]); i++)
		ck_assert_msg(previrt_vector_has_error(with[i]), "vector %u", with[i]);
	/* #VC (29) and #SX (30) push one (AMD APM 8.2.20-21); #HV (28), #VE (20) do not */
	ck_assert(!previrt_vector_has_error(PV_VEC_HV));
	ck_assert(!previrt_vector_has_error(PV_VEC_VE));
	ck_assert(!previrt_vector_has_error(PV_VEC_DB));
	ck_assert(!previrt_vector_has_error(32));
}
END_TEST

/* ---- gates and frames ---- */

static uint8_t idt[256 * 16];

static void gate64(unsigned int vec, unsigned long handler, uint8_t access)
{
	uint8_t *g = idt + vec * 16;

	memset(g, 0, 16);
	g[0] = (uint8_t)handler;
	g[1] = (uint8_t)(handler >> 8);
	g[2] = 0x10;		/* selector 0x10 */
	g[5] = access;
	g[6] = (uint8_t)(handler >> 16);
	g[7] = (uint8_t)(handler >> 24);
	g[8] = (uint8_t)(handler >> 32);
	g[9] = (uint8_t)(handler >> 40);
	g[10] = (uint8_t)(handler >> 48);
	g[11] = (uint8_t)(handler >> 56);
}

static void gate32(unsigned int vec, uint32_t handler, uint8_t access)
{
	uint8_t *g = idt + vec * 8;

	memset(g, 0, 8);
	g[0] = (uint8_t)handler;
	g[1] = (uint8_t)(handler >> 8);
	g[2] = 0x08;
	g[5] = access;
	g[6] = (uint8_t)(handler >> 16);
	g[7] = (uint8_t)(handler >> 24);
}

START_TEST(idt_gates_read)
{
	struct previrt_gate g;

	v.idtr.base = (unsigned long)idt;
	v.idtr.limit = 16 * 20 - 1;
	gate64(14, 0xffffffff81234567UL, 0x8e);
	gate64(3, 0xffffffff80001000UL, 0xef);	/* trap gate, DPL 3 */
	gate64(5, 0x1000, 0x0e);		/* not present */
	gate64(6, 0x1000, 0x85);		/* task gate */
	ck_assert_int_eq(previrt_idt_gate(&v, 14, 64, &g), 0);
	ck_assert_uint_eq(g.handler, 0xffffffff81234567UL);
	ck_assert_int_eq(g.interrupt, 1);
	ck_assert_uint_eq(g.sel, 0x10);
	ck_assert_int_eq(previrt_idt_gate(&v, 3, 64, &g), 0);
	ck_assert_int_eq(g.interrupt, 0);
	ck_assert_uint_eq(g.dpl, 3);
	ck_assert_int_eq(previrt_idt_gate(&v, 5, 64, &g), -1);
	ck_assert_int_eq(previrt_idt_gate(&v, 6, 64, &g), -1);
	ck_assert_int_eq(previrt_idt_gate(&v, 20, 64, &g), -1);	/* past the limit */
	memset(idt, 0, sizeof(idt));
	gate32(13, 0xc0101234u, 0x8f);
	v.idtr.limit = 8 * 14 - 1;
	ck_assert_int_eq(previrt_idt_gate(&v, 13, 32, &g), 0);
	ck_assert_uint_eq(g.handler, 0xc0101234u);
	ck_assert_int_eq(g.interrupt, 0);
	ck_assert_int_eq(previrt_idt_gate(&v, 14, 32, &g), -1);
	v.idtr.base = 0;
	ck_assert_int_eq(previrt_idt_gate(&v, 13, 32, &g), -1);
}
END_TEST

START_TEST(frame_64_aligned_with_error)
{
	unsigned long stack[16];
	struct previrt_gate g = { .handler = 0x1234, .interrupt = 1 };
	/* an rsp not 16-aligned: the CPU aligns before pushing */
	struct previrt_frame f = { .bits = 64, .ip = 0xaaaa, .sp = (unsigned long)&stack[13] + 4,
				   .flags = PV_FL_ZF | PV_FL_IF | PV_FL_IOPL, .if_on = 1,
				   .cs = 0x10, .ss = 0x18 };
	unsigned long sp, *w;

	v.cpl = 0;
	v.if_flag = 1;
	sp = previrt_frame_push(&v, &f, &g, 1, 0x7);
	w = (unsigned long *)sp;
	ck_assert_uint_eq(sp % 8, 0);
	ck_assert_uint_eq((sp + 6 * 8) % 16, 0);	/* the frame starts at an aligned rsp */
	ck_assert_uint_eq(w[0], 0x7);			/* error code */
	ck_assert_uint_eq(w[1], 0xaaaa);
	ck_assert_uint_eq(w[2], 0x10);
	ck_assert_uint_eq(w[3], PV_FL_ZF | PV_FL_IF | PV_FL_FIXED);	/* guest's IF, IOPL 0 */
	ck_assert_uint_eq(w[4], f.sp);
	ck_assert_uint_eq(w[5], 0x18);
	ck_assert_int_eq(v.if_flag, 0);			/* interrupt gate */
}
END_TEST

START_TEST(frame_64_trap_gate_keeps_if)
{
	unsigned long stack[16];
	struct previrt_gate g = { .handler = 0x1234, .interrupt = 0 };
	struct previrt_frame f = { .bits = 64, .ip = 1, .sp = (unsigned long)&stack[16],
				   .if_on = 1, .cs = 0x10, .ss = 0x18 };
	unsigned long sp = previrt_frame_push(&v, &f, &g, 0, 0);

	ck_assert_uint_eq(sp, (unsigned long)&stack[16] - 5 * 8);
	ck_assert_int_eq(v.if_flag, 1);
}
END_TEST

START_TEST(frame_32_same_and_new_stack)
{
	uint32_t kstack[16], ustack[4];
	struct previrt_gate g = { .handler = 0x1234, .interrupt = 1 };
	struct previrt_frame f = { .bits = 32, .ip = 0xc0001000u,
				   .sp = (unsigned long)&kstack[16], .flags = PV_FL_CF,
				   .if_on = 0, .cs = 0x60, .ss = 0x68 };
	unsigned long sp;
	uint32_t *w;

	/* same privilege: eflags, cs, eip (and the error code), no ss:esp */
	sp = previrt_frame_push(&v, &f, &g, 1, 0x10);
	ck_assert_uint_eq(sp, (unsigned long)&kstack[16] - 4 * 4);
	w = (uint32_t *)sp;
	ck_assert_uint_eq(w[0], 0x10);
	ck_assert_uint_eq(w[1], 0xc0001000u);
	ck_assert_uint_eq(w[2], 0x60);
	ck_assert_uint_eq(w[3], PV_FL_CF | PV_FL_FIXED);
	/* from user mode: the TSS's stack, with the user's ss:esp first */
	v.cpl = 3;
	f.sp = (unsigned long)&ustack[2];
	f.cs = 0x73;
	f.ss = 0x7b;
	f.if_on = 1;
	f.stack = (unsigned long)&kstack[16];
	sp = previrt_frame_push(&v, &f, &g, 0, 0);
	ck_assert_uint_eq(sp, (unsigned long)&kstack[16] - 5 * 4);
	w = (uint32_t *)sp;
	ck_assert_uint_eq(w[1], 0x73);
	ck_assert_uint_eq(w[2], PV_FL_CF | PV_FL_IF | PV_FL_FIXED);
	ck_assert_uint_eq(w[3], (uint32_t)(unsigned long)&ustack[2]);
	ck_assert_uint_eq(w[4], 0x7b);
	ck_assert_uint_eq(v.cpl, 0);
	ck_assert_int_eq(v.if_flag, 0);
}
END_TEST

START_TEST(tss_stack_for_user_entries)
{
	static uint8_t gdt[64];
	static uint8_t tss64[104];
	unsigned long b64 = (unsigned long)tss64;
	uint64_t rsp0 = 0xffff888000123000ULL;

	memcpy(tss64 + 4, &rsp0, 8);
	/* a 16-byte long-mode TSS descriptor at 0x20 */
	gdt[0x20 + 2] = (uint8_t)b64;
	gdt[0x20 + 3] = (uint8_t)(b64 >> 8);
	gdt[0x20 + 4] = (uint8_t)(b64 >> 16);
	gdt[0x20 + 5] = 0x89;
	gdt[0x20 + 7] = (uint8_t)(b64 >> 24);
	for (int i = 0; i < 4; i++)
		gdt[0x20 + 8 + i] = (uint8_t)(b64 >> (32 + 8 * i));
	v.gdtr.base = (unsigned long)gdt;
	v.gdtr.limit = sizeof(gdt) - 1;
	v.tr = 0x20;
	ck_assert_uint_eq(previrt_tss_sp0(&v, 64), rsp0);
	/* the 32-bit form (8-byte descriptor, ESP0): testsuite/l4/check-l4-inject.c */
	v.tr = 0;
	ck_assert_uint_eq(previrt_tss_sp0(&v, 64), 0);	/* no ltr yet */
	v.tr = 0x38;
	ck_assert_uint_eq(previrt_tss_sp0(&v, 64), 0);	/* past the GDT's limit */
}
END_TEST

/* ---- xsetbv ---- */

START_TEST(xsetbv_checks)
{
	const uint64_t have = 0x7;	/* x87, SSE, AVX */

	ck_assert_int_eq(previrt_xsetbv_check(&v, 0, 1, have), PV_VEC_UD);	/* no OSXSAVE */
	v.cr4 = PV_CR4_OSXSAVE;
	ck_assert_int_eq(previrt_xsetbv_check(&v, 0, 1, have), 0);
	ck_assert_int_eq(previrt_xsetbv_check(&v, 0, 7, have), 0);
	ck_assert_int_eq(previrt_xsetbv_check(&v, 1, 1, have), PV_VEC_GP);	/* index */
	ck_assert_int_eq(previrt_xsetbv_check(&v, 0, 2, have), PV_VEC_GP);	/* no x87 */
	ck_assert_int_eq(previrt_xsetbv_check(&v, 0, 5, have), PV_VEC_GP);	/* AVX w/o SSE */
	ck_assert_int_eq(previrt_xsetbv_check(&v, 0, 0x0f, have), PV_VEC_GP);	/* unsupported */
}
END_TEST

/* ---- iret, sysret, syscall ---- */

START_TEST(iretq_within_the_kernel)
{
	unsigned long f[5] = { 0x1000, 0x10, PV_FL_IF | PV_FL_AC | PV_FL_CF | PV_FL_TF, 0x8000,
			       0x18 };
	struct previrt_kret k;

	ck_assert_int_eq(previrt_kret_iret(&v, (unsigned long)f, 8, PV_FL_ZF | PV_FL_FIXED, &k), 0);
	ck_assert_int_eq(k.to_user, 0);
	ck_assert_uint_eq(k.ip, 0x1000);
	ck_assert_uint_eq(k.sp, 0x8000);		/* long mode pops ss:rsp always */
	ck_assert_uint_eq(k.ss, 0x18);
	ck_assert_uint_eq(k.popped, 40);
	ck_assert_uint_eq(k.flags, PV_FL_CF | PV_FL_FIXED);	/* the popf mask: TF dropped */
	ck_assert_int_eq(v.if_flag, 1);
	ck_assert_int_eq(v.ac_flag, 1);
	ck_assert_uint_eq(v.cpl, 0);
	ck_assert_int_eq(previrt_kret_iret(&v, (unsigned long)f, 2, 0, &k), -1);
}
END_TEST

START_TEST(iretd_to_user_and_within)
{
	uint32_t f[5] = { 0x08048000u, 0x73, PV_FL_TF | PV_FL_CF, 0xbff0, 0x7b };
	struct previrt_kret k;

	/* 32-bit within the kernel: three words, the stack just past them */
	f[1] = 0x60;
	ck_assert_int_eq(previrt_kret_iret(&v, (unsigned long)f, 4, 0, &k), 0);
	ck_assert_int_eq(k.to_user, 0);
	ck_assert_uint_eq(k.popped, 12);
	ck_assert_uint_eq(k.sp, (unsigned long)&f[3]);
	ck_assert_int_eq(v.if_flag, 0);
	/* to CPL 3: five words, the user's own flags (TF for its debugger), IF on */
	f[1] = 0x73;
	ck_assert_int_eq(previrt_kret_iret(&v, (unsigned long)f, 4, 0, &k), 0);
	ck_assert_int_eq(k.to_user, 1);
	ck_assert_uint_eq(k.popped, 20);
	ck_assert_uint_eq(k.sp, 0xbff0);
	ck_assert_uint_eq(k.ss, 0x7b);
	ck_assert_uint_eq(k.flags, PV_FL_TF | PV_FL_CF | PV_FL_FIXED);
	ck_assert_uint_eq(v.cpl, 3);
	ck_assert_int_eq(v.if_flag, 1);
}
END_TEST

START_TEST(sysret_and_syscall)
{
	struct previrt_kret k;

	/* Linux's STAR: syscall cs 0x10, sysret base 0x23 - 16 + ... = 0x18 */
	previrt_vcpu_set_msr(&v, PV_MSR_STAR, (uint64_t)0x0018 << 48 | (uint64_t)0x0010 << 32);
	previrt_vcpu_set_msr(&v, PV_MSR_LSTAR, 0xffffffff81000000ULL);
	previrt_vcpu_set_msr(&v, PV_MSR_FMASK, PV_FL_IF | PV_FL_TF | PV_FL_DF | PV_FL_AC);
	previrt_kret_sysret(&v, 0x401000, PV_FL_IF | PV_FL_CF | PV_FL_VM, 8, &k);
	ck_assert_uint_eq(k.ip, 0x401000);
	ck_assert_uint_eq(k.cs, 0x2b);
	ck_assert_uint_eq(k.ss, 0x23);
	ck_assert_uint_eq(k.flags, PV_FL_IF | PV_FL_CF | PV_FL_FIXED);
	ck_assert_uint_eq(v.cpl, 3);
	previrt_kret_sysret(&v, 0x401000, 0, 4, &k);
	ck_assert_uint_eq(k.cs, 0x1b);				/* 32-bit sysret: STAR[63:48] */
	previrt_kret_syscall(&v, 0x401002, PV_FL_IF | PV_FL_DF | PV_FL_ZF | PV_FL_FIXED, &k);
	ck_assert_uint_eq(k.ip, 0xffffffff81000000UL);
	ck_assert_uint_eq(k.cs, 0x10);
	ck_assert_uint_eq(k.ss, 0x18);
	ck_assert_uint_eq(k.flags, PV_FL_ZF | PV_FL_FIXED);	/* FMASK applied */
	ck_assert_int_eq(v.if_flag, 0);
	ck_assert_uint_eq(v.cpl, 0);
}
END_TEST

START_TEST(sysenter_and_sysexit)
{
	struct previrt_kret k;

	/* Linux i386: SYSENTER_CS = __KERNEL_CS 0x60 */
	previrt_vcpu_set_msr(&v, PV_MSR_SYSENTER_CS, 0x60);
	previrt_vcpu_set_msr(&v, PV_MSR_SYSENTER_EIP, 0xc1000000u);
	previrt_vcpu_set_msr(&v, PV_MSR_SYSENTER_ESP, 0xc2000000u);
	v.cpl = 3;
	v.if_flag = 1;
	previrt_kret_sysenter(&v, PV_FL_IF | PV_FL_RF | PV_FL_CF | PV_FL_FIXED, &k);
	ck_assert_uint_eq(k.cs, 0x60);
	ck_assert_uint_eq(k.ss, 0x68);
	ck_assert_uint_eq(k.ip, 0xc1000000u);
	ck_assert_uint_eq(k.sp, 0xc2000000u);
	ck_assert_uint_eq(k.flags, PV_FL_CF | PV_FL_FIXED);
	ck_assert_int_eq(v.if_flag, 0);
	ck_assert_uint_eq(v.cpl, 0);
	v.if_flag = 1;						/* the kernel's sti before sysexit */
	previrt_kret_sysexit(&v, 0xbfff0000u, 0x08049000u, 4, PV_FL_ZF, &k);
	ck_assert_uint_eq(k.cs, 0x73);				/* __USER_CS */
	ck_assert_uint_eq(k.ss, 0x7b);				/* __USER_DS */
	ck_assert_uint_eq(k.ip, 0x08049000u);
	ck_assert_uint_eq(k.sp, 0xbfff0000u);
	ck_assert_uint_eq(k.flags, PV_FL_ZF | PV_FL_IF | PV_FL_FIXED);
	ck_assert_uint_eq(v.cpl, 3);
	previrt_kret_sysexit(&v, 0, 0, 8, 0, &k);
	ck_assert_uint_eq(k.cs, 0x60 + 32 + 3);			/* the 64-bit form */
	ck_assert_uint_eq(k.ss, 0x60 + 40 + 3);
}
END_TEST

/* ---- the unpatched-instruction fallback ---- */

static unsigned int outs, out_port;

static void count_out(struct previrt_vcpu *vc, unsigned int port, unsigned int size,
		      uint32_t value)
{
	(void)vc; (void)size; (void)value;
	outs++;
	out_port = port;
}

static const struct previrt_vmm_ops out_ops = { .port_out = count_out };

/* Run the fallback on code bytes, as a backend does at the fault's address. */
static int fall(const unsigned char *code, struct previrt_regs *r)
{
	struct pv_x86_insn insn;

	r->ip = (unsigned long)code;
	return previrt_fallback_emulate(NULL, &v, r, 64, &insn);
}

/* A backend's sled handler: what the fallback hands it must be a sled's view. */
static const struct previrt_site *handed_site;
static unsigned long handed_ip;

static int sled_handler(struct previrt_vcpu *vc, struct previrt_regs *r,
			const struct pv_x86_insn *in, const struct previrt_site *site)
{
	handed_site = site;
	handed_ip = r->ip;
	return previrt_vcpu_emulate(vc, r, in, site);
}

START_TEST(fallback_emulates_as_a_sled)
{
	static const unsigned char cli[] = { 0xfa, 0xcc }, out80[] = { 0xe6, 0x80, 0xcc };
	struct previrt_regs r;

	memset(&r, 0, sizeof(r));
	v.ops = &out_ops;
	v.if_flag = 1;
	ck_assert_int_eq(fall(cli, &r), 0);
	ck_assert_int_eq(v.if_flag, 0);
	ck_assert_uint_eq(r.ip, (unsigned long)cli + 1);
	ck_assert_uint_eq(v.emulated, 1);			/* the sled path's count */
	ck_assert_int_eq(fall(out80, &r), 0);
	ck_assert_uint_eq(outs, 1);
	ck_assert_uint_eq(out_port, 0x80);
	ck_assert_uint_eq(r.ip, (unsigned long)out80 + 2);
}
END_TEST

START_TEST(fallback_goes_through_the_sled_handler)
{
	static const unsigned char rdcr0[] = { 0x0f, 0x20, 0xc0, 0xcc };	/* mov %cr0,%rax */
	static struct previrt_backend be = { .name = "fallback-test", .handle = sled_handler };
	struct previrt_regs r;
	struct pv_x86_insn insn;

	memset(&r, 0, sizeof(r));
	be.vcpu = &v;
	v.cr0 = PV_CR0_PG | PV_CR0_PE;
	r.ip = (unsigned long)rdcr0;
	ck_assert_int_eq(previrt_fallback_emulate(&be, &v, &r, 64, &insn), 0);
	ck_assert_ptr_eq(handed_site, &v.fallback_site);
	ck_assert_ptr_eq(previrt_site_sled(handed_site), rdcr0);
	ck_assert_uint_eq(handed_site->sled_len, 3);
	ck_assert_uint_eq(handed_site->klass, PREVIRT_CLASS_CR);
	ck_assert_uint_eq(handed_ip, (unsigned long)rdcr0 + 3);		/* past it, as past a sled */
	ck_assert_uint_eq(r.ax, PV_CR0_PG | PV_CR0_PE);
	ck_assert_uint_eq(r.ip, (unsigned long)rdcr0 + 3);
}
END_TEST

START_TEST(fallback_leaves_what_is_not_its)
{
	static const unsigned char load[] = { 0x8b, 0x00 };		/* mov (%rax),%eax */
	static const unsigned char nop[] = { 0x90 };
	static const unsigned char ljmp[] = { 0xff, 0x28 };		/* ljmp *(%rax) */
	static const unsigned char xsetbv[] = { 0x0f, 0x01, 0xd1 };
	static const unsigned char cli[] = { 0xfa };
	struct previrt_regs r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(fall(load, &r), -1);
	ck_assert_uint_eq(r.ip, (unsigned long)load);
	ck_assert_int_eq(fall(nop, &r), -1);
	ck_assert_int_eq(fall(ljmp, &r), -1);
	/* a fault the CPU would raise: at the instruction, with the vector */
	ck_assert_int_eq(fall(xsetbv, &r), PREVIRT_VCPU_FAULT);
	ck_assert_uint_eq(r.ip, (unsigned long)xsetbv);
	ck_assert_uint_eq(v.fault.vector, PV_VEC_UD);
	/* the guest's user mode: its #GP is its own */
	v.cpl = 3;
	v.if_flag = 1;
	ck_assert_int_eq(fall(cli, &r), -1);
	ck_assert_int_eq(v.if_flag, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vmm-cpu");
	TCase *t = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, popf_mask_bit_by_bit);
	tcase_add_test(t, pushf_hides_real_if_and_iopl);
	tcase_add_test(t, popfw_keeps_the_high_half);
	tcase_add_test(t, the_mask_is_what_the_stubs_use);
	tcase_add_test(t, error_code_vectors);
	tcase_add_test(t, idt_gates_read);
	tcase_add_test(t, frame_64_aligned_with_error);
	tcase_add_test(t, frame_64_trap_gate_keeps_if);
	tcase_add_test(t, frame_32_same_and_new_stack);
	tcase_add_test(t, tss_stack_for_user_entries);
	tcase_add_test(t, xsetbv_checks);
	tcase_add_test(t, iretq_within_the_kernel);
	tcase_add_test(t, iretd_to_user_and_within);
	tcase_add_test(t, sysret_and_syscall);
	tcase_add_test(t, sysenter_and_sysexit);
	tcase_add_test(t, fallback_emulates_as_a_sled);
	tcase_add_test(t, fallback_goes_through_the_sled_handler);
	tcase_add_test(t, fallback_leaves_what_is_not_its);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
