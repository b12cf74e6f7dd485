// SPDX-License-Identifier: MIT
/*
 * Unit tests of the Xen backend's pure parts, hosted: the sled emitter
 * (xen-backend.c: the exact bytes each inline class gets) and the virtual
 * local APIC as Xen wires it (xen-vlapic.c over libprevirt's model, whose
 * own tests are testsuite/runtime/test-vlapic.c: here timer arithmetic,
 * IRR/ISR/EOI/TPR through the Xen entry points, and the upcall flag),
 * compiled from the backend's own sources against doubles of the few Xen
 * primitives they call (a clock we set, a vcpu_info in memory).
 */
#include <check.h>
#include <stdint.h>
#include <string.h>
#include "xen-vmm.h"

/* ---- doubles of what the tested files use ---- */

static struct vcpu_info vcpu0;
static start_info_t start_info;
struct vcpu_info *xen_vcpu = &vcpu0;
start_info_t *xen_start_info = &start_info;
struct xen_vmm xen_vmm;

char xen_sti_stub[16], xen_rdtscp_stub[16], xen_pushf_stub[16], xen_popf_stub[16];
char xen_iret_stub[16], xen_sysret_stub[16];

int xen_handle(struct previrt_vcpu *v, struct previrt_regs *regs, const struct pv_x86_insn *insn,
	       const struct previrt_site *site)
{
	(void)v; (void)regs; (void)insn; (void)site;
	return -1;
}

static uint64_t now_ns;
static int timer_armed_calls;

uint64_t xen_pv_system_time(void)
{
	return now_ns;
}

void xen_events_arm_timer(void)
{
	timer_armed_calls++;
}

/* ---- the emitter ---- */

/* A sled of len bytes holding the instruction bytes insn, and its record. */
struct sled_fixture {
	unsigned char text[16];
	struct previrt_site site;
	struct pv_x86_insn insn;
	struct previrt_sled sled;
	unsigned char out[16];
};

static int emit(struct sled_fixture *f, unsigned int klass, const char *bytes, unsigned int n,
		unsigned int len)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->text, bytes, n);
	ck_assert_int_eq(pv_x86_decode(f->text, n, 64, &f->insn), (int)n);
	f->site.klass = (unsigned char)klass;
	f->site.sled_len = (unsigned char)len;
	f->site.insn_len = (unsigned char)n;
	f->sled.site = &f->site;
	f->sled.addr = f->text;
	f->sled.insn = &f->insn;
	return previrt_backend_xen.emit(&f->sled, f->out);
}

/*
 * Where the rel32 at out[at] leads from the end of an instruction of len
 * bytes at the sled: as integers, since the pointers are to unrelated
 * objects (the compiler may assume such pointer sums never meet).
 */
static uintptr_t target(const struct sled_fixture *f, unsigned int len, unsigned int at)
{
	int32_t r;

	memcpy(&r, f->out + at, 4);
	return (uintptr_t)f->text + len + (uintptr_t)(intptr_t)r;
}

/* The rest of the sled from 'from' holds libprevirt's canonical NOPs (emit.c). */
static int padded(struct sled_fixture *f, unsigned int from)
{
	unsigned char want[16];

	memcpy(want, f->out, sizeof(f->out) < sizeof(want) ? sizeof(f->out) : sizeof(want));
	previrt_emit_pad(want, &f->sled, from);
	return !memcmp(want + from, f->out + from, f->sled.site->sled_len - from);
}

START_TEST(cli_is_one_store_to_the_mask)
{
	static struct sled_fixture f;

	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_CLI, "\xfa", 1, 8), 0);
	ck_assert_int_eq(f.out[0], 0xc6);
	ck_assert_int_eq(f.out[1], 0x05);
	ck_assert_uint_eq(target(&f, 7, 2), (uintptr_t)&vcpu0.evtchn_upcall_mask);
	ck_assert_int_eq(f.out[6], 1);
	ck_assert(padded(&f, 7));
}
END_TEST

START_TEST(sti_calls_its_stub)
{
	static struct sled_fixture f;

	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_STI, "\xfb", 1, 8), 0);
	ck_assert_int_eq(f.out[0], 0xe8);
	ck_assert_uint_eq(target(&f, 5, 1), (uintptr_t)xen_sti_stub);
	ck_assert(padded(&f, 5));
}
END_TEST

START_TEST(pushf_popf_call_stubs_64bit_only)
{
	static struct sled_fixture f;

	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_PUSHF, "\x9c", 1, 8), 0);
	ck_assert_int_eq(f.out[0], 0xe8);
	ck_assert_uint_eq(target(&f, 5, 1), (uintptr_t)xen_pushf_stub);
	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_POPF, "\x9d", 1, 8), 0);
	ck_assert_uint_eq(target(&f, 5, 1), (uintptr_t)xen_popf_stub);
	/* pushfw: the stub pushes 8 bytes, so the site is refused */
	ck_assert_int_lt(emit(&f, PREVIRT_CLASS_PUSHF, "\x66\x9c", 2, 8), 0);
}
END_TEST

START_TEST(kernel_returns_jump_never_call)
{
	static struct sled_fixture f;

	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_KRET, "\x48\xcf", 2, 8), 0);
	ck_assert_int_eq(f.out[0], 0xe9);
	ck_assert_uint_eq(target(&f, 5, 1), (uintptr_t)xen_iret_stub);
	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_KRET, "\x48\x0f\x07", 3, 8), 0);
	ck_assert_int_eq(f.out[0], 0xe9);
	ck_assert_uint_eq(target(&f, 5, 1), (uintptr_t)xen_sysret_stub);
	/* 32-bit iretd: not what a 64-bit kernel returns with */
	ck_assert_int_lt(emit(&f, PREVIRT_CLASS_KRET, "\xcf", 1, 8), 0);
}
END_TEST

START_TEST(rdtsc_stays_rdtscp_calls)
{
	static struct sled_fixture f;

	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_TSC, "\x0f\x31", 2, 8), 0);
	ck_assert_int_eq(f.out[0], 0x0f);
	ck_assert_int_eq(f.out[1], 0x31);
	ck_assert(padded(&f, 2));
	ck_assert_int_eq(emit(&f, PREVIRT_CLASS_TSC, "\x0f\x01\xf9", 3, 8), 0);
	ck_assert_uint_eq(target(&f, 5, 1), (uintptr_t)xen_rdtscp_stub);
}
END_TEST

START_TEST(fill_table_covers_every_class)
{
	for (unsigned int c = 1; c < PREVIRT_CLASS_COUNT; c++)
		ck_assert_msg(previrt_backend_xen.fill[c] != PREVIRT_FILL_REFUSE,
			      "class %s is refused", previrt_class_name(c));
	ck_assert_int_eq(previrt_backend_xen.fill[PREVIRT_CLASS_XCR], PREVIRT_FILL_KEEP);
	ck_assert_int_eq(previrt_backend_xen.fill[PREVIRT_CLASS_CR], PREVIRT_FILL_GENERIC);
}
END_TEST

/* A refused site on Xen is an instruction that would #GP or be ignored. */
START_TEST(refusal_is_fatal)
{
	ck_assert_int_ne(previrt_backend_xen.refusal_fatal, 0);
}
END_TEST

/* ---- the virtual local APIC ---- */

#define TIMER_DIV	0x3e0
#define TIMER_INIT	0x380
#define TIMER_CUR	0x390
#define LVT_TIMER	0x320
#define IRR		0x200
#define ISR		0x100
#define TPR		0x080
#define EOI		0x0b0
#define VERSION		0x030

static void lapic_reset(void)
{
	now_ns = 1000000;
	vcpu0.evtchn_upcall_pending = 0;
	for (unsigned int r = 0; r < 0x400; r += 0x10)
		xen_vlapic_write(r == VERSION || r == TIMER_CUR ? 0x3f0 : r, 0);
	/* drain ISR */
	for (int i = 0; i < 16; i++)
		xen_vlapic_write(EOI, 0);
	xen_vlapic_init(0);
}

START_TEST(one_shot_counts_down_and_raises_irr)
{
	lapic_reset();
	xen_vlapic_write(TIMER_DIV, 3);			/* divide by 16 */
	xen_vlapic_write(LVT_TIMER, 0x30);		/* one-shot, vector 0x30 */
	xen_vlapic_write(TIMER_INIT, 1000);		/* 16 us at 1 GHz */
	ck_assert_uint_eq(xen_vlapic_deadline(), 1000000 + 16000);
	now_ns += 8000;
	ck_assert_uint_eq(xen_vlapic_read(TIMER_CUR), 500);
	ck_assert_uint_eq(xen_vlapic_read(IRR + 0x10), 0);
	now_ns += 8000;
	ck_assert_uint_eq(xen_vlapic_read(TIMER_CUR), 0);
	ck_assert_uint_eq(xen_vlapic_read(IRR + 0x10), 1u << 16);	/* 0x30 = 48 */
	ck_assert_int_eq(vcpu0.evtchn_upcall_pending, 1);
	ck_assert_uint_eq(xen_vlapic_deadline(), 0);			/* one-shot: done */
}
END_TEST

START_TEST(periodic_rearms)
{
	lapic_reset();
	xen_vlapic_write(TIMER_DIV, 0xb);		/* divide by 1 */
	xen_vlapic_write(LVT_TIMER, 0x20000 | 0x31);
	xen_vlapic_write(TIMER_INIT, 100);
	now_ns += 250;
	ck_assert_uint_eq(xen_vlapic_read(TIMER_CUR), 50);
	ck_assert_uint_eq(xen_vlapic_read(IRR + 0x10), 1u << 17);
	ck_assert_uint_eq(xen_vlapic_deadline(), 1000000 + 300);
}
END_TEST

START_TEST(masked_lvt_raises_nothing)
{
	lapic_reset();
	xen_vlapic_write(LVT_TIMER, 0x10000 | 0x30);
	xen_vlapic_write(TIMER_INIT, 10);
	now_ns += 1000000;
	ck_assert_uint_eq(xen_vlapic_read(IRR + 0x10), 0);
	ck_assert_int_eq(xen_vlapic_pending(), 0);
}
END_TEST

START_TEST(delivery_moves_irr_to_isr_until_eoi)
{
	lapic_reset();
	xen_vlapic_write(TIMER_DIV, 0xb);
	xen_vlapic_write(LVT_TIMER, 0x20000 | 0x30);
	xen_vlapic_write(TIMER_INIT, 10);
	now_ns += 10;
	ck_assert_int_eq(xen_vlapic_pending(), 1);
	ck_assert_int_eq(xen_vlapic_next_vector(), 0x30);
	ck_assert_uint_eq(xen_vlapic_read(ISR + 0x10), 1u << 16);
	ck_assert_uint_eq(xen_vlapic_read(IRR + 0x10), 0);
	now_ns += 10;				/* next period: pending, but in service */
	ck_assert_int_eq(xen_vlapic_next_vector(), -1);
	xen_vlapic_write(EOI, 0);
	ck_assert_uint_eq(xen_vlapic_read(ISR + 0x10), 0);
	ck_assert_int_eq(xen_vlapic_next_vector(), 0x30);
}
END_TEST

START_TEST(tpr_holds_back_its_class)
{
	lapic_reset();
	xen_vlapic_write(TPR, 0x30);
	xen_vlapic_write(TIMER_DIV, 0xb);
	xen_vlapic_write(LVT_TIMER, 0x30);
	xen_vlapic_write(TIMER_INIT, 1);
	now_ns += 5;
	ck_assert_int_eq(xen_vlapic_next_vector(), -1);
	xen_vlapic_write(TPR, 0x20);
	ck_assert_int_eq(xen_vlapic_next_vector(), 0x30);
}
END_TEST

START_TEST(identity_registers)
{
	lapic_reset();
	xen_vlapic_init(7);
	ck_assert_uint_eq(xen_vlapic_read(0x20) >> 24, 7);
	ck_assert_uint_eq(xen_vlapic_read(VERSION) & 0xff, 0x14);
	xen_vlapic_write(VERSION, 0);
	ck_assert_uint_eq(xen_vlapic_read(VERSION) & 0xff, 0x14);	/* read-only */
	xen_vlapic_write(0x0f0, 0x1ff);
	ck_assert_uint_eq(xen_vlapic_read(0x0f0), 0x1ff);
}
END_TEST

static Suite *xen_suite(void)
{
	Suite *s = suite_create("xen");
	TCase *e = tcase_create("emit"), *l = tcase_create("vlapic");

	tcase_add_test(e, cli_is_one_store_to_the_mask);
	tcase_add_test(e, sti_calls_its_stub);
	tcase_add_test(e, pushf_popf_call_stubs_64bit_only);
	tcase_add_test(e, kernel_returns_jump_never_call);
	tcase_add_test(e, rdtsc_stays_rdtscp_calls);
	tcase_add_test(e, fill_table_covers_every_class);
	tcase_add_test(e, refusal_is_fatal);
	tcase_add_test(l, one_shot_counts_down_and_raises_irr);
	tcase_add_test(l, periodic_rearms);
	tcase_add_test(l, masked_lvt_raises_nothing);
	tcase_add_test(l, delivery_moves_irr_to_isr_until_eoi);
	tcase_add_test(l, tpr_holds_back_its_class);
	tcase_add_test(l, identity_registers);
	suite_add_tcase(s, e);
	suite_add_tcase(s, l);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(xen_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
