// SPDX-License-Identifier: MIT
/*
 * The boot-time walk an IA-64 kernel would make, built for IA-64 with
 * libprevirt's IA-64 code and linked with kernel.c (run-cross.sh): patch
 * every site of the image's own table for the test backend, flushing with
 * fc; sync.i; srlz.i. Here it is only compiled and linked (nothing IA-64
 * runs on this machine); it shows the runtime builds freestanding for
 * IA-64 and needs nothing but itself.
 */
#include "previrt/ia64.h"

/* An array, not a function: its address is the code, not a descriptor. */
extern char previrt_test_handler[];

unsigned int previrt_ia64_boot(void);

unsigned int previrt_ia64_boot(void)
{
	struct pv_ia64_patcher p = {
		.backend = PV_IA64_TEST,
		.handler = (uint64_t)previrt_test_handler,
		.flush_icache = pv_ia64_flush_icache_native,
	};
	const struct previrt_site *s;
	unsigned int patched = 0;

	for (s = __start_previrt_sites; s < __stop_previrt_sites; s++) {
		unsigned char *sled = previrt_site_sled(s);

		if (pv_ia64_patch_site(&p, s, sled, (uint64_t)sled,
				       (uint32_t)(s - __start_previrt_sites), 0) == 0)
			patched++;
	}
	return patched;
}
