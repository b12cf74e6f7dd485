/* SPDX-License-Identifier: MIT */
/* The VMM-monitor calls: encoded by the VMM, decoded by the monitor. */
#include <string.h>
#include "check-l4.h"
#include "l4-fpage.h"
#include "l4-vmm-proto.h"

static struct l4_msg m;
static struct l4_vmm_call c;

START_TEST(console_round_trip)
{
	const char *s = "ok 1 - boot\n";

	ck_assert_uint_eq(l4_vmm_console(&m, s, 12), 12);
	ck_assert_uint_eq(m.mr[0], l4_tag(L4_VMM_CONSOLE, 1 + 3, 0));
	ck_assert_uint_eq(m.mr[1], 12);
	ck_assert_uint_eq(m.mr[2], (l4_word_t)'o' | 'k' << 8 | ' ' << 16 | (l4_word_t)'1' << 24);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), 0);
	ck_assert_uint_eq(c.op, L4_VMM_CONSOLE);
	ck_assert_uint_eq(c.n, 12);
	ck_assert_mem_eq(c.text, s, 12);
}
END_TEST

START_TEST(console_takes_at_most_one_message)
{
	char big[400];

	memset(big, 'x', sizeof(big));
	ck_assert_uint_eq(l4_vmm_console(&m, big, sizeof(big)), L4_VMM_CONSOLE_MAX);
	ck_assert_uint_eq(l4_tag_untyped(m.mr[0]), 1 + L4_VMM_CONSOLE_MAX / 4);
	ck_assert_uint_le(1 + l4_tag_untyped(m.mr[0]), L4_MSG_MAX_MRS);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), 0);
	ck_assert_uint_eq(c.n, L4_VMM_CONSOLE_MAX);
	/* a count that does not match the words is refused */
	m.mr[1] = 5;
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
}
END_TEST

START_TEST(ports)
{
	uint32_t v = 0;

	l4_vmm_port_out(&m, 0xf4, 1, 0x10);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), 0);
	ck_assert_uint_eq(c.op, L4_VMM_PORT_OUT);
	ck_assert_uint_eq(c.port, 0xf4);
	ck_assert_uint_eq(c.size, 1);
	ck_assert_uint_eq(c.value, 0x10);
	l4_vmm_port_in(&m, 0xcfc, 4);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), 0);
	ck_assert_uint_eq(c.op, L4_VMM_PORT_IN);
	ck_assert_uint_eq(c.size, 4);
	l4_vmm_port_in(&m, 0x70, 3);		/* no 3-byte ports */
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
	l4_vmm_reply_value(&m, 0x12378086u);
	ck_assert_int_eq(l4_vmm_reply_decode(&m, &v), 0);
	ck_assert_uint_eq(v, 0x12378086u);
	m.mr[0] |= L4_TAG_ERROR;
	ck_assert_int_eq(l4_vmm_reply_decode(&m, &v), -1);
	l4_vmm_reply(&m);
	ck_assert_int_eq(l4_vmm_reply_decode(&m, &v), -1);	/* no value in it */
}
END_TEST

START_TEST(shutdown_and_unknown)
{
	l4_vmm_shutdown(&m, 0x10);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), 0);
	ck_assert_uint_eq(c.op, L4_VMM_SHUTDOWN);
	ck_assert_uint_eq(c.value, 0x10);
	m.mr[0] = l4_tag(0x1ff, 1, 0);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
	m.mr[0] = l4_tag(L4_VMM_SHUTDOWN, 1, 2);	/* typed items: not ours */
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
}
END_TEST

START_TEST(map_request)
{
	l4_vmm_map(&m, 0x123000, 0x40001000, L4_FPAGE_R | L4_FPAGE_X);
	ck_assert_uint_eq(m.mr[0], l4_tag(L4_VMM_MAP, 3, 0));
	ck_assert_int_eq(l4_vmm_decode(&m, &c), 0);
	ck_assert_uint_eq(c.op, L4_VMM_MAP);
	ck_assert_uint_eq(c.gpa, 0x123000);
	ck_assert_uint_eq(c.va, 0x40001000);
	ck_assert_uint_eq(c.rights, L4_FPAGE_R | L4_FPAGE_X);
	/* unaligned pages, no rights, or rights beyond rwx are refused */
	l4_vmm_map(&m, 0x123004, 0x40001000, L4_FPAGE_R);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
	l4_vmm_map(&m, 0x123000, 0x40001010, L4_FPAGE_R);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
	l4_vmm_map(&m, 0x123000, 0x40001000, 0);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
	l4_vmm_map(&m, 0x123000, 0x40001000, 8);
	ck_assert_int_eq(l4_vmm_decode(&m, &c), -1);
}
END_TEST

Suite *l4_proto_suite(void)
{
	Suite *s = suite_create("l4-vmm-proto");
	TCase *tc = tcase_create("proto");

	tcase_add_test(tc, console_round_trip);
	tcase_add_test(tc, console_takes_at_most_one_message);
	tcase_add_test(tc, ports);
	tcase_add_test(tc, shutdown_and_unknown);
	tcase_add_test(tc, map_request);
	suite_add_tcase(s, tc);
	return s;
}
