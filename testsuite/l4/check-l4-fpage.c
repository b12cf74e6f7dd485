/* SPDX-License-Identifier: MIT */
/* Memory and I/O fpage words, and covering ranges with fpages. */
#include "check-l4.h"
#include "l4-fpage.h"

START_TEST(memory_fpage_words)
{
	/* 4 KiB at 0x12345000, rw: base bits 10..31, s = 12 in bits 4..9, rwx low */
	ck_assert_uint_eq(l4_fpage(0x12345000u, 12, L4_FPAGE_R | L4_FPAGE_W),
			  0x12345000u | 12u << 4 | 6u);
	ck_assert_uint_eq(l4_fpage(0x80000000u, 31, L4_FPAGE_RWX), 0x80000000u | 31u << 4 | 7u);
	ck_assert_uint_eq(l4_fpage_base(0x12345000u | 12u << 4 | 6u), 0x12345000u);
	ck_assert_uint_eq(l4_fpage_log2_size(0x12345000u | 12u << 4 | 6u), 12);
	ck_assert_uint_eq(l4_fpage_rights(0x12345000u | 12u << 4 | 6u), 6);
}
END_TEST

START_TEST(memory_fpage_refuses_misaligned_and_odd_sizes)
{
	ck_assert_uint_eq(l4_fpage(0x1000u, 13, L4_FPAGE_RWX), L4_FPAGE_NIL);
	ck_assert_uint_eq(l4_fpage(0, 9, L4_FPAGE_RWX), L4_FPAGE_NIL);
	ck_assert_uint_eq(l4_fpage(0, 32, L4_FPAGE_RWX), L4_FPAGE_NIL);
}
END_TEST

START_TEST(fpage_contains)
{
	l4_word_t f = l4_fpage(0x00400000u, 22, L4_FPAGE_RWX);

	ck_assert(l4_fpage_contains(f, 0x00400000u));
	ck_assert(l4_fpage_contains(f, 0x007fffffu));
	ck_assert(!l4_fpage_contains(f, 0x00800000u));
	ck_assert(!l4_fpage_contains(f, 0x003fffffu));
	ck_assert(l4_fpage_contains(L4_FPAGE_COMPLETE, 0xfffff000u));
	ck_assert(!l4_fpage_contains(L4_FPAGE_NIL, 0));
}
END_TEST

START_TEST(io_fpage_words)
{
	/* COM1's 8 ports: port in bits 16..31, s = 3 in bits 10..15, marker 2 in 4..9 */
	l4_word_t f = l4_io_fpage(0x3f8, 3);

	ck_assert_uint_eq(f, 0x3f8u << 16 | 3u << 10 | 2u << 4);
	ck_assert(l4_is_io_fpage(f));
	ck_assert_uint_eq(l4_io_fpage_port(f), 0x3f8);
	ck_assert_uint_eq(l4_io_fpage_log2_ports(f), 3);
	ck_assert(!l4_is_io_fpage(l4_fpage(0x3000, 12, L4_FPAGE_R)));
	ck_assert_uint_eq(l4_io_fpage(0x3f9, 3), 0);	/* not aligned */
	ck_assert_uint_eq(l4_io_fpage(0, 16), 2u << 4 | 16u << 10);	/* all 64K ports */
}
END_TEST

START_TEST(cover_exact_and_split)
{
	l4_word_t out[64];

	ck_assert_int_eq(l4_fpage_cover(0, 0x80000000u, L4_FPAGE_RWX, out, 64), 1);
	ck_assert_uint_eq(out[0], l4_fpage(0, 31, L4_FPAGE_RWX));
	/* 0x1000..0x5000: 4K at 0x1000, 8K at 0x2000, 4K at 0x4000 */
	ck_assert_int_eq(l4_fpage_cover(0x1000, 0x5000, L4_FPAGE_R, out, 64), 3);
	ck_assert_uint_eq(out[0], l4_fpage(0x1000, 12, L4_FPAGE_R));
	ck_assert_uint_eq(out[1], l4_fpage(0x2000, 13, L4_FPAGE_R));
	ck_assert_uint_eq(out[2], l4_fpage(0x4000, 12, L4_FPAGE_R));
	/* the whole space: two 2 GiB fpages */
	ck_assert_int_eq(l4_fpage_cover(0, 0, L4_FPAGE_RWX, out, 64), 2);
	ck_assert_uint_eq(out[1], l4_fpage(0x80000000u, 31, L4_FPAGE_RWX));
}
END_TEST

START_TEST(cover_counts_beyond_max_and_refuses_bad_ranges)
{
	l4_word_t out[2] = { 0, 0 };

	ck_assert_int_eq(l4_fpage_cover(0x1000, 0x5000, L4_FPAGE_R, out, 2), 3);
	ck_assert_int_eq(l4_fpage_cover(0x1001, 0x5000, L4_FPAGE_R, out, 2), -1);
	ck_assert_int_eq(l4_fpage_cover(0x5000, 0x5000, L4_FPAGE_R, out, 2), -1);
	ck_assert_int_eq(l4_fpage_cover(0x5000, 0x1000, L4_FPAGE_R, out, 2), -1);
}
END_TEST

START_TEST(cover_is_exact_for_many_ranges)
{
	l4_word_t out[64];

	/* every range of pages within the first 64: covered once, no gap, aligned */
	for (l4_word_t s = 0; s < 64; s++) {
		for (l4_word_t e = s + 1; e <= 64; e++) {
			int n = l4_fpage_cover(s << 12, e << 12, L4_FPAGE_RWX, out, 64);
			l4_word_t at = s << 12;

			ck_assert_int_gt(n, 0);
			for (int i = 0; i < n; i++) {
				unsigned int sz = l4_fpage_log2_size(out[i]);

				ck_assert_uint_ne(out[i], L4_FPAGE_NIL);
				ck_assert_uint_eq(l4_fpage_base(out[i]), at);
				at += 1u << sz;
			}
			ck_assert_uint_eq(at, e << 12);
		}
	}
}
END_TEST

Suite *l4_fpage_suite(void)
{
	Suite *s = suite_create("l4-fpage");
	TCase *tc = tcase_create("fpage");

	tcase_add_test(tc, memory_fpage_words);
	tcase_add_test(tc, memory_fpage_refuses_misaligned_and_odd_sizes);
	tcase_add_test(tc, fpage_contains);
	tcase_add_test(tc, io_fpage_words);
	tcase_add_test(tc, cover_exact_and_split);
	tcase_add_test(tc, cover_counts_beyond_max_and_refuses_bad_ranges);
	tcase_add_test(tc, cover_is_exact_for_many_ranges);
	suite_add_tcase(s, tc);
	return s;
}
