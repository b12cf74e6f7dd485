// SPDX-License-Identifier: MIT
/*
 * The virtual local APIC (libprevirt/vlapic.c) as pure logic, on a clock
 * the test sets: the timer's arithmetic (one-shot, periodic, the divider,
 * the current count, long gaps that go through the model's own 64-bit
 * division), the masked LVT, EOI, the TPR's and the ISR's priority
 * classes, read-only registers, the identity registers, and when the
 * backend's callbacks are called.  What Xen and L4 both rely on.
 */
#include <check.h>
#include <string.h>
#include <previrt/vlapic.h>

#define ID		PREVIRT_LAPIC_ID
#define VERSION		PREVIRT_LAPIC_VERSION
#define TPR		PREVIRT_LAPIC_TPR
#define EOI		PREVIRT_LAPIC_EOI
#define SVR		PREVIRT_LAPIC_SVR
#define ISR		PREVIRT_LAPIC_ISR
#define TMR		PREVIRT_LAPIC_TMR
#define IRR		PREVIRT_LAPIC_IRR
#define LVT_TIMER	PREVIRT_LAPIC_LVT_TIMER
#define TIMER_INIT	PREVIRT_LAPIC_TIMER_INIT
#define TIMER_CUR	PREVIRT_LAPIC_TIMER_CUR
#define TIMER_DIV	PREVIRT_LAPIC_TIMER_DIV
#define MASKED		PREVIRT_LAPIC_LVT_MASKED
#define PERIODIC	PREVIRT_LAPIC_LVT_PERIODIC
#define DIV1		0xb		/* divide configuration: by 1 */

#define T0		1000000u	/* the clock at the start of each test */

/* The backend double: a clock and what the callbacks saw, through opaque. */
struct backend {
	uint64_t now;
	unsigned int now_calls, changed_calls, raised_calls;
	uint64_t deadline_at_change;	/* previrt_vlapic_deadline() in timer_changed */
};

static struct previrt_vlapic a;
static struct backend be;

static uint64_t fake_now(struct previrt_vlapic *l)
{
	struct backend *b = l->opaque;

	b->now_calls++;
	return b->now;
}

static void fake_changed(struct previrt_vlapic *l)
{
	struct backend *b = l->opaque;

	b->changed_calls++;
	b->deadline_at_change = previrt_vlapic_deadline(l);
}

static void fake_raised(struct previrt_vlapic *l)
{
	((struct backend *)l->opaque)->raised_calls++;
}

static void setup(void)
{
	/* garbage first: init must not rely on a zeroed struct */
	memset(&a, 0xa5, sizeof(a));
	memset(&be, 0, sizeof(be));
	be.now = T0;
	a.now_ns = fake_now;
	a.timer_changed = fake_changed;
	a.irr_raised = fake_raised;
	a.opaque = &be;
	previrt_vlapic_init(&a, 0);
}

static uint32_t rd(unsigned int off)
{
	return previrt_vlapic_read(&a, off);
}

static void wr(unsigned int off, uint32_t v)
{
	previrt_vlapic_write(&a, off, v);
}

/* Bit of vector in the 8-register page at base (IRR or ISR). */
static int has(unsigned int base, unsigned int vector)
{
	return (rd(base + 0x10 * (vector / 32)) >> (vector % 32)) & 1;
}

/* One-shot timer at vector, divide by 1, expired: the vector is in IRR. */
static void fire(unsigned int vector)
{
	wr(TIMER_DIV, DIV1);
	wr(LVT_TIMER, vector);
	wr(TIMER_INIT, 1);
	be.now += 1;
	previrt_vlapic_update(&a);
	ck_assert_int_eq(has(IRR, vector), 1);
}

/* vector delivered: in ISR, out of IRR. */
static void deliver(unsigned int vector)
{
	fire(vector);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), (int)vector);
	ck_assert_int_eq(has(ISR, vector), 1);
	ck_assert_int_eq(has(IRR, vector), 0);
}

START_TEST(test_one_shot)
{
	wr(TIMER_DIV, 3);			/* by 16 */
	wr(LVT_TIMER, 0x30);			/* one-shot, vector 0x30 */
	wr(TIMER_INIT, 1000);			/* 16 us */
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), T0 + 16000);
	be.now = T0 + 16000 - 1;		/* one ns early: nothing */
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_int_eq(has(IRR, 0x30), 0);
	ck_assert_uint_eq(be.raised_calls, 0);
	be.now = T0 + 16000;
	/* a guest polling IRR with interrupts off sees it without any other call */
	ck_assert_int_eq(has(IRR, 0x30), 1);
	ck_assert_uint_eq(be.raised_calls, 1);
	ck_assert_int_eq(previrt_vlapic_pending(&a), 1);
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), 0);	/* spent */
	/* it never fires again, however long we wait */
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x30);
	wr(EOI, 0);
	be.now += 1000000000;
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_int_eq(has(IRR, 0x30), 0);
	ck_assert_uint_eq(be.raised_calls, 1);
	ck_assert_uint_eq(rd(TIMER_CUR), 0);
	/* the initial count stays as written */
	ck_assert_uint_eq(rd(TIMER_INIT), 1000);
}
END_TEST

START_TEST(test_periodic)
{
	wr(TIMER_DIV, DIV1);
	wr(LVT_TIMER, PERIODIC | 0x31);
	wr(TIMER_INIT, 100);
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), T0 + 100);
	be.now = T0 + 100;
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x31);
	ck_assert_uint_eq(be.raised_calls, 1);
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), T0 + 200);	/* re-armed */
	wr(EOI, 0);
	/* 2.5 periods later: the missed ones are one IRR bit, the grid holds */
	be.now = T0 + 350;
	ck_assert_uint_eq(rd(TIMER_CUR), 50);
	ck_assert_int_eq(has(IRR, 0x31), 1);
	ck_assert_uint_eq(be.raised_calls, 2);
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), T0 + 400);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x31);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);	/* only one */
	wr(EOI, 0);
	be.now = T0 + 400;
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x31);
	ck_assert_uint_eq(be.raised_calls, 3);
	/* a zero initial count stops it */
	wr(EOI, 0);
	wr(TIMER_INIT, 0);
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), 0);
	be.now += 10000;
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_uint_eq(rd(TIMER_CUR), 0);
	ck_assert_uint_eq(be.raised_calls, 3);
}
END_TEST

/* Gaps far beyond one period: the model's 64-bit division against the host's. */
START_TEST(test_periodic_long_gaps)
{
	static const uint64_t gaps[] = {
		7, 999, 123456789, 1000000007ull * 3, 0x123456789abull, 0xfffffffffull + 5,
	};
	static const uint32_t counts[] = { 1, 3, 1000, 65537, 0xfffffff0u };
	static const struct { uint32_t conf, divisor; } divs[] = { { DIV1, 1 }, { 0x0, 2 } };

	for (unsigned int c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		for (unsigned int d = 0; d < 2; d++) {
			uint64_t start = T0, period = (uint64_t)counts[c] * divs[d].divisor;

			previrt_vlapic_init(&a, 0);
			be.now = T0;
			wr(TIMER_DIV, divs[d].conf);
			wr(LVT_TIMER, PERIODIC | 0x40);
			wr(TIMER_INIT, counts[c]);
			for (unsigned int g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
				uint64_t elapsed, ticks;

				be.now += gaps[g];
				elapsed = be.now - start;
				ticks = elapsed / divs[d].divisor;
				ck_assert_uint_eq(rd(TIMER_CUR), counts[c] - ticks % counts[c]);
				start += elapsed / period * period;
				ck_assert_uint_eq(a.timer_start, start);
				ck_assert_uint_eq(previrt_vlapic_deadline(&a), start + period);
			}
		}
	}
}
END_TEST

START_TEST(test_masked_raises_nothing)
{
	wr(TIMER_DIV, DIV1);
	wr(LVT_TIMER, MASKED | PERIODIC | 0x30);
	wr(TIMER_INIT, 10);
	be.now += 1000;
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
	ck_assert_int_eq(has(IRR, 0x30), 0);
	ck_assert_uint_eq(be.raised_calls, 0);
	/* a masked timer still runs: the period moved on, the count too */
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), T0 + 1010);
	be.now += 3;
	ck_assert_uint_eq(rd(TIMER_CUR), 7);
	/* unmasked, the next expiry is delivered */
	wr(LVT_TIMER, PERIODIC | 0x30);
	be.now = T0 + 1010;
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x30);
	ck_assert_uint_eq(be.raised_calls, 1);
}
END_TEST

START_TEST(test_divider_decoding)
{
	/* bits 0, 1, 3 of the divide configuration: the SDM's table */
	static const struct { uint32_t conf, divisor; } t[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
	};

	for (unsigned int i = 0; i < 8; i++) {
		previrt_vlapic_init(&a, 0);
		be.now = T0;
		wr(TIMER_DIV, t[i].conf);
		ck_assert_uint_eq(rd(TIMER_DIV), t[i].conf);
		wr(LVT_TIMER, 0x30);
		wr(TIMER_INIT, 1000);
		ck_assert_msg(previrt_vlapic_deadline(&a) == T0 + 1000ull * t[i].divisor,
			      "divide configuration %#x: deadline %llu, expected divisor %u",
			      t[i].conf, (unsigned long long)previrt_vlapic_deadline(&a),
			      t[i].divisor);
		be.now = T0 + 10ull * t[i].divisor;
		ck_assert_uint_eq(rd(TIMER_CUR), 990);
		be.now += t[i].divisor - 1;		/* not a whole tick more */
		ck_assert_uint_eq(rd(TIMER_CUR), 990);
		be.now += 1;
		ck_assert_uint_eq(rd(TIMER_CUR), 989);
	}
}
END_TEST

START_TEST(test_current_count)
{
	wr(TIMER_DIV, 0x1);			/* by 4 */
	wr(LVT_TIMER, MASKED);
	ck_assert_uint_eq(rd(TIMER_CUR), 0);	/* never started */
	wr(TIMER_INIT, 100);
	ck_assert_uint_eq(rd(TIMER_CUR), 100);
	for (unsigned int k = 1; k < 100; k++) {
		be.now = T0 + 4ull * k;
		ck_assert_uint_eq(rd(TIMER_CUR), 100 - k);
	}
	be.now = T0 + 400;
	ck_assert_uint_eq(rd(TIMER_CUR), 0);
	be.now = T0 + 4000000;
	ck_assert_uint_eq(rd(TIMER_CUR), 0);
	/* a new initial count restarts from the top */
	wr(TIMER_INIT, 50);
	ck_assert_uint_eq(rd(TIMER_CUR), 50);
	be.now += 8;
	ck_assert_uint_eq(rd(TIMER_CUR), 48);
}
END_TEST

START_TEST(test_eoi_clears_highest_isr)
{
	deliver(0x30);
	/* a higher class nests above the one in service */
	deliver(0x51);
	ck_assert_uint_eq(rd(EOI), 0);		/* EOI reads as 0 */
	wr(EOI, 0x12345);			/* the value written does not matter */
	ck_assert_int_eq(has(ISR, 0x51), 0);
	ck_assert_int_eq(has(ISR, 0x30), 1);
	wr(EOI, 0);
	ck_assert_int_eq(has(ISR, 0x30), 0);
	for (unsigned int r = 0; r < 8; r++)
		ck_assert_uint_eq(rd(ISR + 0x10 * r), 0);
	wr(EOI, 0);				/* nothing in service: harmless */
	for (unsigned int r = 0; r < 8; r++)
		ck_assert_uint_eq(rd(ISR + 0x10 * r), 0);
	/* vectors in the top register: 0xff */
	deliver(0xff);
	ck_assert_uint_eq(rd(ISR + 0x70), 0x80000000u);
	wr(EOI, 0);
	ck_assert_uint_eq(rd(ISR + 0x70), 0);
}
END_TEST

START_TEST(test_tpr_blocks_its_class_and_below)
{
	wr(TPR, 0x30);
	fire(0x3f);
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
	ck_assert_int_eq(has(IRR, 0x3f), 1);		/* held, not lost */
	ck_assert_int_eq(has(ISR, 0x3f), 0);
	wr(TPR, 0x2f);					/* class 2: 0x3f is above */
	ck_assert_int_eq(previrt_vlapic_pending(&a), 1);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x3f);
	wr(EOI, 0);
	/* only the TPR's class counts, its sub-class bits do not */
	wr(TPR, 0x4f);
	fire(0x50);
	ck_assert_int_eq(previrt_vlapic_pending(&a), 1);
	wr(TPR, 0x50);
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	wr(TPR, 0xf0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
	wr(TPR, 0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x50);
}
END_TEST

START_TEST(test_isr_blocks_its_class_and_below)
{
	deliver(0x38);
	fire(0x31);				/* same class as the one in service */
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
	fire(0x2a);				/* lower class */
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
	ck_assert_int_eq(has(IRR, 0x31), 1);
	ck_assert_int_eq(has(IRR, 0x2a), 1);
	fire(0x41);				/* higher class: nests */
	ck_assert_int_eq(previrt_vlapic_pending(&a), 1);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x41);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
	wr(EOI, 0);				/* ends 0x41; 0x38 still blocks */
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
	wr(EOI, 0);				/* ends 0x38: highest first */
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x31);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);	/* 0x2a below 0x31 */
	wr(EOI, 0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x2a);
}
END_TEST

START_TEST(test_reserved_vectors_never_delivered)
{
	wr(TIMER_DIV, DIV1);
	wr(LVT_TIMER, 0x0e);
	wr(TIMER_INIT, 1);
	be.now += 1;
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), -1);
}
END_TEST

START_TEST(test_read_only_registers)
{
	deliver(0x30);
	fire(0x31);
	wr(VERSION, 0);
	ck_assert_uint_eq(rd(VERSION), PREVIRT_LAPIC_VERSION_VALUE);
	/* neither set nor cleared by a write */
	wr(ISR + 0x10, 0);
	wr(ISR, 0xffffffffu);
	wr(IRR + 0x10, 0);
	wr(IRR + 0x20, 0xffffffffu);
	wr(TMR + 0x30, 0xffffffffu);
	ck_assert_uint_eq(rd(ISR + 0x10), 1u << 16);
	ck_assert_uint_eq(rd(ISR), 0);
	ck_assert_uint_eq(rd(IRR + 0x10), 1u << 17);
	ck_assert_uint_eq(rd(IRR + 0x20), 0);
	ck_assert_uint_eq(rd(TMR + 0x30), 0);
	/* the current count is the timer's, whatever is written */
	wr(TIMER_DIV, DIV1);
	wr(LVT_TIMER, MASKED);
	wr(TIMER_INIT, 500);
	be.now += 100;
	wr(TIMER_CUR, 7);
	ck_assert_uint_eq(rd(TIMER_CUR), 400);
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), be.now + 400);
}
END_TEST

START_TEST(test_identity_and_reset)
{
	previrt_vlapic_init(&a, 0x2a);
	ck_assert_uint_eq(rd(ID), 0x2a000000u);
	ck_assert_uint_eq(rd(VERSION), 0x00050014u);
	ck_assert_uint_eq(rd(VERSION) & 0xff, 0x14);		/* integrated APIC */
	ck_assert_uint_eq((rd(VERSION) >> 16) & 0xff, 5);	/* LVT entries 0..5 */
	ck_assert_uint_eq(rd(SVR), 0xff);
	ck_assert_uint_eq(rd(LVT_TIMER), MASKED);
	ck_assert_uint_eq(rd(TPR), 0);
	ck_assert_uint_eq(rd(TIMER_INIT), 0);
	ck_assert_uint_eq(rd(TIMER_DIV), 0);
	for (unsigned int r = 0; r < 8; r++) {
		ck_assert_uint_eq(rd(ISR + 0x10 * r), 0);
		ck_assert_uint_eq(rd(IRR + 0x10 * r), 0);
	}
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), 0);
	/* init leaves the backend's part alone */
	ck_assert_ptr_eq(a.now_ns, fake_now);
	ck_assert_ptr_eq(a.timer_changed, fake_changed);
	ck_assert_ptr_eq(a.irr_raised, fake_raised);
	ck_assert_ptr_eq(a.opaque, &be);
	/* plain registers read back; the low 4 bits of the offset do not matter */
	wr(SVR, 0x1ff);
	ck_assert_uint_eq(rd(SVR), 0x1ff);
	wr(0x0d0, 0x01000000u);				/* LDR */
	ck_assert_uint_eq(rd(0x0d4), 0x01000000u);
	wr(TPR, 0x20);
	ck_assert_uint_eq(rd(TPR), 0x20);
	/* a running timer and pending state are cleared by init */
	deliver(0x30);
	wr(LVT_TIMER, PERIODIC | 0x30);
	wr(TIMER_INIT, 10);
	previrt_vlapic_init(&a, 1);
	ck_assert_uint_eq(rd(ID), 0x01000000u);
	ck_assert_uint_eq(rd(ISR + 0x10), 0);
	ck_assert_uint_eq(previrt_vlapic_deadline(&a), 0);
	be.now += 1000;
	ck_assert_int_eq(previrt_vlapic_pending(&a), 0);
}
END_TEST

START_TEST(test_callbacks)
{
	unsigned int changed;

	/* programming the timer tells the backend, with the new deadline in place */
	wr(TIMER_DIV, DIV1);
	ck_assert_uint_eq(be.changed_calls, 0);
	wr(LVT_TIMER, PERIODIC | 0x30);
	ck_assert_uint_eq(be.changed_calls, 1);
	wr(TIMER_INIT, 100);
	ck_assert_uint_eq(be.changed_calls, 2);
	ck_assert_uint_eq(be.deadline_at_change, T0 + 100);
	/* other registers do not */
	wr(TPR, 0x10);
	wr(SVR, 0x1ff);
	wr(EOI, 0);
	ck_assert_uint_eq(be.changed_calls, 2);
	/* an expiry raises, once per IRR bit set; update's re-arm is not "changed" */
	changed = be.changed_calls;
	be.now = T0 + 100;
	previrt_vlapic_update(&a);
	ck_assert_uint_eq(be.raised_calls, 1);
	previrt_vlapic_update(&a);
	ck_assert_uint_eq(be.raised_calls, 1);
	ck_assert_uint_eq(be.changed_calls, changed);
	/* stopping: told, with deadline 0 */
	wr(TIMER_INIT, 0);
	ck_assert_uint_eq(be.changed_calls, changed + 1);
	ck_assert_uint_eq(be.deadline_at_change, 0);
	/* the clock is only asked when the timer is running */
	be.now_calls = 0;
	be.now += 1000;
	previrt_vlapic_pending(&a);
	previrt_vlapic_next_vector(&a);
	rd(IRR);
	rd(TIMER_CUR);
	ck_assert_uint_eq(be.now_calls, 0);
}
END_TEST

START_TEST(test_optional_callbacks_null)
{
	a.timer_changed = NULL;
	a.irr_raised = NULL;
	wr(TIMER_DIV, DIV1);
	wr(LVT_TIMER, 0x30);
	wr(TIMER_INIT, 5);
	be.now += 5;
	ck_assert_int_eq(previrt_vlapic_next_vector(&a), 0x30);
	ck_assert_uint_eq(be.changed_calls, 0);
	ck_assert_uint_eq(be.raised_calls, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vlapic");
	TCase *t = tcase_create("model");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, test_one_shot);
	tcase_add_test(t, test_periodic);
	tcase_add_test(t, test_periodic_long_gaps);
	tcase_add_test(t, test_masked_raises_nothing);
	tcase_add_test(t, test_divider_decoding);
	tcase_add_test(t, test_current_count);
	tcase_add_test(t, test_eoi_clears_highest_isr);
	tcase_add_test(t, test_tpr_blocks_its_class_and_below);
	tcase_add_test(t, test_isr_blocks_its_class_and_below);
	tcase_add_test(t, test_reserved_vectors_never_delivered);
	tcase_add_test(t, test_read_only_registers);
	tcase_add_test(t, test_identity_and_reset);
	tcase_add_test(t, test_callbacks);
	tcase_add_test(t, test_optional_callbacks_null);
	suite_add_tcase(s, t);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
