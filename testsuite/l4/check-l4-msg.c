/* SPDX-License-Identifier: MIT */
/* Message tags, map items, time values, and the kernel's own messages. */
#include "check-l4.h"
#include "l4-fpage.h"
#include "l4-msg.h"

START_TEST(tag_fields)
{
	l4_word_t t = l4_tag(0xffe6, 2, 0);	/* a write page fault: label -2<<4 | rw */

	ck_assert_uint_eq(t, 0xffe6u << 16 | 2u);
	ck_assert_uint_eq(l4_tag_label(t), 0xffe6);
	ck_assert_uint_eq(l4_tag_untyped(t), 2);
	ck_assert_uint_eq(l4_tag_typed(t), 0);
	ck_assert_uint_eq(l4_tag(0, 0, 2), 2u << 6);
	ck_assert(!l4_tag_failed(t));
	ck_assert(l4_tag_failed(t | 0x8000u));
}
END_TEST

START_TEST(kernel_labels)
{
	ck_assert_uint_eq(L4_LABEL_PAGEFAULT, 0xffe0);
	ck_assert_uint_eq(L4_LABEL_EXCEPTION, 0xffb0);
	ck_assert_uint_eq(L4_LABEL_SIGMA0, 0xffa0);
	ck_assert_uint_eq(L4_LABEL_IO_PAGEFAULT, 0xff80);
	ck_assert_uint_eq(L4_LABEL_INTERRUPT, 0xfff0);
}
END_TEST

START_TEST(map_and_grant_items)
{
	l4_word_t item[2];
	l4_word_t f = l4_fpage(0x00200000u, 21, L4_FPAGE_RWX);

	l4_map_item(item, f, 0x00200000u, 0);
	ck_assert_uint_eq(item[0], 0x00200000u | 4u << 1);
	ck_assert_uint_eq(item[1], f);
	l4_map_item(item, f, 0x12345678u, 1);
	ck_assert_uint_eq(item[0], 0x12345400u | 5u << 1);	/* base /1024; grant */
	ck_assert_uint_eq(l4_acceptor(L4_FPAGE_COMPLETE | 7u), L4_FPAGE_COMPLETE);
}
END_TEST

START_TEST(time_periods)
{
	ck_assert_uint_eq(l4_time_period(0), L4_TIME_ZERO);
	ck_assert_uint_eq(l4_time_period(1000), 1000);		/* m = 1000, e = 0 */
	ck_assert_uint_eq(l4_time_period(1023), 1023);
	ck_assert_uint_eq(l4_time_period(1024), 1u << 10 | 512u);	/* 512 * 2^1 */
	ck_assert_uint_eq(l4_time_us(l4_time_period(10000)), 10000);
	ck_assert_uint_eq(l4_time_us(L4_TIME_NEVER), UINT64_MAX);
	ck_assert_uint_eq(l4_timeouts(L4_TIME_ZERO, L4_TIME_NEVER), (l4_word_t)L4_TIME_ZERO << 16);
	/* never shorter than asked, and within a factor 1 + 1/512 */
	for (uint64_t us = 1; us < (1ull << 40); us = us * 3 + 1) {
		uint64_t got = l4_time_us(l4_time_period(us));

		ck_assert_uint_ge(got, us);
		ck_assert_uint_le(got - us, us / 512 + 1);
	}
}
END_TEST

START_TEST(pagefault_decode_and_reply)
{
	struct l4_msg m = { .mr = { l4_tag(L4_LABEL_PAGEFAULT | L4_FPAGE_W, 2, 0),
				    0x40001234u, 0x80101000u } };
	struct l4_pagefault pf;

	ck_assert_int_eq(l4_pagefault_decode(&m, &pf), 0);
	ck_assert_uint_eq(pf.addr, 0x40001234u);
	ck_assert_uint_eq(pf.ip, 0x80101000u);
	ck_assert_uint_eq(pf.access, L4_FPAGE_W);
	m.mr[0] = l4_tag(L4_LABEL_EXCEPTION, 12, 0);
	ck_assert_int_eq(l4_pagefault_decode(&m, &pf), -1);

	l4_pagefault_reply(&m, l4_fpage(0x40001000u, 12, L4_FPAGE_R), 0x40001000u);
	ck_assert_uint_eq(m.mr[0], l4_tag(0, 0, 2));
	ck_assert_uint_eq(m.mr[1], 0x40001000u | 4u << 1);
	ck_assert_uint_eq(m.mr[2], l4_fpage(0x40001000u, 12, L4_FPAGE_R));
}
END_TEST

START_TEST(exception_round_trip)
{
	struct l4_msg m;
	struct l4_exception e = { .eip = 0x80100010u, .eflags = 0x202, .vector = 13, .error = 0,
				  .edi = 1, .esi = 2, .ebp = 3, .esp = 0x8ff000u, .ebx = 5,
				  .edx = 6, .ecx = 7, .eax = 8 }, back;

	l4_exception_reply(&m, &e);
	ck_assert_uint_eq(m.mr[0], l4_tag(0, 12, 0));
	/* MR1 EIP, MR2 EFLAGS, MR3 vector, MR4 error, MR5.. EDI ESI EBP ESP EBX EDX ECX EAX */
	ck_assert_uint_eq(m.mr[1], 0x80100010u);
	ck_assert_uint_eq(m.mr[3], 13);
	ck_assert_uint_eq(m.mr[8], 0x8ff000u);
	ck_assert_uint_eq(m.mr[12], 8);
	m.mr[0] = l4_tag(L4_LABEL_EXCEPTION, 12, 0);
	ck_assert_int_eq(l4_exception_decode(&m, &back), 0);
	ck_assert_mem_eq(&back, &e, sizeof(e));
	m.mr[0] = l4_tag(L4_LABEL_EXCEPTION, 11, 0);
	ck_assert_int_eq(l4_exception_decode(&m, &back), -1);
}
END_TEST

START_TEST(sigma0_and_unmap_words)
{
	struct l4_msg m;

	l4_sigma0_request(&m, l4_fpage(0x00100000u, 20, L4_FPAGE_RWX));
	ck_assert_uint_eq(m.mr[0], 0xffa0u << 16 | 2u);
	ck_assert_uint_eq(m.mr[1], l4_fpage(0x00100000u, 20, L4_FPAGE_RWX));
	ck_assert_uint_eq(m.mr[2], 0);
	ck_assert_uint_eq(l4_unmap_control(1, 0), 0);
	ck_assert_uint_eq(l4_unmap_control(1, 1), 0x40);
	ck_assert_uint_eq(l4_unmap_control(3, 1), 0x42);
}
END_TEST

START_TEST(thread_ids)
{
	ck_assert_uint_eq(l4_global_id(32, 1), 32u << 14 | 1u);
	ck_assert_uint_eq(l4_thread_no(l4_global_id(34, 7)), 34);
	ck_assert_uint_eq(l4_thread_version(l4_global_id(34, 7)), 7);
}
END_TEST

Suite *l4_msg_suite(void)
{
	Suite *s = suite_create("l4-msg");
	TCase *tc = tcase_create("msg");

	tcase_add_test(tc, tag_fields);
	tcase_add_test(tc, kernel_labels);
	tcase_add_test(tc, map_and_grant_items);
	tcase_add_test(tc, time_periods);
	tcase_add_test(tc, pagefault_decode_and_reply);
	tcase_add_test(tc, exception_round_trip);
	tcase_add_test(tc, sigma0_and_unmap_words);
	tcase_add_test(tc, thread_ids);
	suite_add_tcase(s, tc);
	return s;
}
