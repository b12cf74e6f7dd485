// SPDX-License-Identifier: MIT
/*
 * The 8259A pair (libprevirt/vmm/pic8259.c): the one reset state (the
 * datasheet's ICW1 state, no interrupt until initialised), the ICW
 * sequence as a PC BIOS and Linux write it, edge triggering, masks,
 * priority and nesting, the cascade through IR2, EOI (non-specific,
 * specific, rotating), IRR/ISR reads, auto-EOI, poll, and INT's callback.
 */
#include <check.h>
#include <previrt/pic8259.h>

static struct previrt_pic p;
static int int_level, int_calls;

static void int_changed(struct previrt_vcpu *v, int level)
{
	(void)v;
	int_level = level;
	int_calls++;
}

static const struct previrt_pic_ops ops = { int_changed };

static void init_pair(int aeoi)
{
	previrt_pic_write(&p, 0x20, 0x11);
	previrt_pic_write(&p, 0xa0, 0x11);
	previrt_pic_write(&p, 0x21, 0x20);
	previrt_pic_write(&p, 0xa1, 0x28);
	previrt_pic_write(&p, 0x21, 0x04);
	previrt_pic_write(&p, 0xa1, 0x02);
	previrt_pic_write(&p, 0x21, aeoi ? 0x03 : 0x01);
	previrt_pic_write(&p, 0xa1, aeoi ? 0x03 : 0x01);
}

static void setup(void)
{
	int_level = 0;
	int_calls = 0;
	previrt_pic_reset(&p, &ops, 0);
}

static void pulse(unsigned int irq)
{
	previrt_pic_set_irq(&p, irq, 1);
	previrt_pic_set_irq(&p, irq, 0);
}

START_TEST(reset_state)
{
	ck_assert_uint_eq(previrt_pic_read(&p, 0x21), 0x00);	/* IMR clear */
	ck_assert_uint_eq(previrt_pic_read(&p, 0xa1), 0x00);
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x00);	/* IRR */
	pulse(0);
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x01);	/* requested, ... */
	ck_assert_int_eq(previrt_pic_pending(&p), 0);		/* ... not raised before ICWs */
	ck_assert_int_eq(previrt_pic_acknowledge(&p), -1);
	init_pair(0);						/* ICW1 clears IRR too */
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x00);
	ck_assert_int_eq(int_calls, 0);
}
END_TEST

START_TEST(edge_mask_and_vector)
{
	init_pair(0);
	previrt_pic_write(&p, 0x21, 0x01);	/* mask IRQ0 */
	pulse(0);
	ck_assert_int_eq(previrt_pic_pending(&p), 0);
	previrt_pic_set_irq(&p, 1, 1);
	ck_assert_int_eq(int_level, 1);
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x21);
	ck_assert_int_eq(int_level, 0);
	previrt_pic_write(&p, 0x20, 0x20);	/* EOI */
	ck_assert_int_eq(previrt_pic_pending(&p), 0);	/* a held level is no new edge */
	previrt_pic_write(&p, 0x21, 0x00);	/* unmask: IRQ0's old edge is there */
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x20);
}
END_TEST

START_TEST(nesting_and_specific_eoi)
{
	init_pair(0);
	pulse(3);
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x23);
	pulse(5);					/* lower priority: waits */
	ck_assert_int_eq(previrt_pic_pending(&p), 0);
	pulse(1);					/* higher: nests */
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x21);
	previrt_pic_write(&p, 0x20, 0x0b);		/* OCW3: read ISR */
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x0a);
	previrt_pic_write(&p, 0x20, 0x63);		/* specific EOI of IR3 */
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x02);
	previrt_pic_write(&p, 0x20, 0x20);		/* non-specific: IR1 */
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x25);
}
END_TEST

START_TEST(cascade_through_ir2)
{
	init_pair(0);
	pulse(12);
	ck_assert_int_eq(int_level, 1);
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x2c);
	previrt_pic_write(&p, 0xa0, 0x0b);
	ck_assert_uint_eq(previrt_pic_read(&p, 0xa0), 0x10);
	previrt_pic_write(&p, 0x20, 0x0b);
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x04);
	previrt_pic_write(&p, 0x21, 0x04);		/* masking IR2 masks the slave */
	previrt_pic_write(&p, 0xa0, 0x20);
	previrt_pic_write(&p, 0x20, 0x20);
	pulse(9);
	ck_assert_int_eq(previrt_pic_pending(&p), 0);
	previrt_pic_write(&p, 0x21, 0x00);
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x29);
}
END_TEST

START_TEST(rotation_and_set_priority)
{
	init_pair(0);
	previrt_pic_write(&p, 0x20, 0xc4);	/* set priority: IR4 lowest, IR5 highest */
	pulse(0);
	pulse(5);
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x25);
	previrt_pic_write(&p, 0x20, 0xa0);	/* rotate on non-specific EOI: IR5 lowest */
	pulse(5);
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x20);
}
END_TEST

START_TEST(auto_eoi_and_poll)
{
	init_pair(1);
	pulse(6);
	ck_assert_int_eq(previrt_pic_acknowledge(&p), 0x26);
	previrt_pic_write(&p, 0x20, 0x0b);
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x00);	/* nothing in service */
	pulse(7);
	previrt_pic_write(&p, 0x20, 0x0c);			/* poll */
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x87);
	previrt_pic_write(&p, 0x20, 0x0c);
	ck_assert_uint_eq(previrt_pic_read(&p, 0x20), 0x00);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pic8259");
	TCase *tc = tcase_create("pic");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, reset_state);
	tcase_add_test(tc, edge_mask_and_vector);
	tcase_add_test(tc, nesting_and_specific_eoi);
	tcase_add_test(tc, cascade_through_ir2);
	tcase_add_test(tc, rotation_and_set_priority);
	tcase_add_test(tc, auto_eoi_and_poll);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
