/* SPDX-License-Identifier: MIT */
/* The unit-test suites of the L4 backend's pure logic, one per source file. */
#ifndef TEST_CHECK_L4_H
#define TEST_CHECK_L4_H

#include <check.h>

Suite *l4_fpage_suite(void);
Suite *l4_msg_suite(void);
Suite *l4_kip_suite(void);
Suite *l4_proto_suite(void);
Suite *l4_vtlb_suite(void);
Suite *l4_boot_suite(void);
Suite *l4_watch_suite(void);
Suite *l4_inject_suite(void);

#endif
