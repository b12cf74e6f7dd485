/* SPDX-License-Identifier: MIT */
/* stac/clac: set and clear RFLAGS.AC, as pushf must then show. */
#include "cpu.h"
#include "features.h"
#include "tap.h"
#include "tests.h"

#define RFLAGS_AC	(1ull << 18)

void test_smap(void)
{
	tap_case("smap");
	if (!cpu_has_smap()) {
		tap_skip("no SMAP in cpuid", "stac/clac");
		return;
	}
	cpu_stac();
	tap_eq(cpu_read_flags() & RFLAGS_AC, RFLAGS_AC, "stac sets AC");
	cpu_clac();
	tap_eq(cpu_read_flags() & RFLAGS_AC, 0, "clac clears AC");
}
