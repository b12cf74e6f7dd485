/* SPDX-License-Identifier: MIT */
/* Which write breakpoint the debug registers describe (l4-watch.c). */
#include "check-l4.h"
#include "l4-watch.h"

#define L0	(1ul << 0)
#define G1	(1ul << 3)
#define L2	(1ul << 4)
#define RW(i, v)	((unsigned long)(v) << (16 + 4 * (i)))
#define LEN(i, v)	((unsigned long)(v) << (18 + 4 * (i)))

START_TEST(write_breakpoints)
{
	unsigned long dr[8] = { 0x80201003, 0x80305006, 0, 0, 0, 0, 0, 0 };
	struct l4_watch w = { 0 };

	ck_assert_int_eq(l4_watch_decode(&w, dr), 0);
	ck_assert_int_eq(w.armed, 0);				/* nothing enabled */
	dr[7] = L0 | RW(0, 1) | LEN(0, 3);			/* DR0, write, 4 bytes */
	ck_assert_int_eq(l4_watch_decode(&w, dr), 0);
	ck_assert_int_eq(w.armed, 1);
	ck_assert_uint_eq(w.index, 0);
	ck_assert_uint_eq(w.lo, 0x80201000);			/* low bits ignored */
	ck_assert_uint_eq(w.hi, 0x80201003);
	ck_assert(l4_watch_page_protected(&w, 0x80201ffc));
	ck_assert(!l4_watch_page_protected(&w, 0x80202000));
	dr[7] = G1 | RW(1, 1) | LEN(1, 1);			/* DR1 (global), 2 bytes */
	ck_assert_int_eq(l4_watch_decode(&w, dr), 0);
	ck_assert_uint_eq(w.index, 1);
	ck_assert_uint_eq(w.lo, 0x80305006);
	ck_assert_uint_eq(w.hi, 0x80305007);
	dr[7] = G1 | RW(1, 1) | LEN(1, 0);			/* one byte */
	l4_watch_decode(&w, dr);
	ck_assert_uint_eq(w.hi, w.lo);
}
END_TEST

START_TEST(other_kinds_are_reported)
{
	unsigned long dr[8] = { 0x1000, 0, 0x3000, 0, 0, 0, 0, 0 };
	struct l4_watch w = { 0 };

	dr[7] = L0 | RW(0, 0);					/* execution breakpoint */
	ck_assert_int_eq(l4_watch_decode(&w, dr), 1);
	ck_assert_int_eq(w.armed, 0);
	ck_assert(!l4_watch_page_protected(&w, 0x1000));
	dr[7] = L0 | RW(0, 3) | L2 | RW(2, 1);			/* read/write ignored, write kept */
	ck_assert_int_eq(l4_watch_decode(&w, dr), 1);
	ck_assert_int_eq(w.armed, 1);
	ck_assert_uint_eq(w.index, 2);
	ck_assert_uint_eq(w.lo, 0x3000);
}
END_TEST

Suite *l4_watch_suite(void)
{
	Suite *s = suite_create("l4-watch");
	TCase *tc = tcase_create("watch");

	tcase_add_test(tc, write_breakpoints);
	tcase_add_test(tc, other_kinds_are_reported);
	suite_add_tcase(s, tc);
	return s;
}
