/* SPDX-License-Identifier: MIT */
/* rdtsc: never goes backwards, and moves forward across work. */
#include "cpu.h"
#include "tap.h"
#include "tests.h"

#define READS 1000

void test_tsc(void)
{
	tap_case("tsc");

	uint64_t first = cpu_rdtsc(), prev = first;
	unsigned backwards = 0;

	for (int i = 0; i < READS; i++) {
		uint64_t now = cpu_rdtsc();
		if (now < prev)
			backwards++;
		prev = now;
	}
	tap_eq(backwards, 0, "%d successive reads never go backwards", READS);
	tap_check(prev > first, "TSC advanced by %lu cycles over the reads", prev - first);
	tap_check(first != 0, "TSC is running (first read 0x%lx)", first);
}
