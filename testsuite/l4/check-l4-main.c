/* SPDX-License-Identifier: MIT */
/* Runs every L4 unit-test suite; TAP output for the automake driver. */
#include <stdlib.h>
#include "check-l4.h"

int main(void)
{
	SRunner *sr = srunner_create(l4_fpage_suite());
	int failed;

	srunner_add_suite(sr, l4_msg_suite());
	srunner_add_suite(sr, l4_kip_suite());
	srunner_add_suite(sr, l4_proto_suite());
	srunner_add_suite(sr, l4_vtlb_suite());
	srunner_add_suite(sr, l4_boot_suite());
	srunner_add_suite(sr, l4_watch_suite());
	srunner_add_suite(sr, l4_inject_suite());
	srunner_set_tap(sr, "-");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
