/* SPDX-License-Identifier: MIT */
/*
 * rdtsc: never goes backwards, and moves forward across work. rdtscp: the
 * same clock, plus IA32_TSC_AUX as written.
 */
#include "cpu.h"
#include "features.h"
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
	tap_check(prev > first, "TSC advanced over the reads (%llu cycles)",
		  (unsigned long long)(prev - first));
	tap_check(first != 0, "TSC is running (first read 0x%llx)", (unsigned long long)first);

	if (!cpu_has_rdtscp()) {
		tap_skip("no RDTSCP in cpuid", "rdtscp");
		return;
	}
	uint32_t aux;
	cpu_wrmsr(MSR_TSC_AUX, 0x2a);
	uint64_t before = cpu_rdtsc(), t = cpu_rdtscp(&aux);
	tap_eq(aux, 0x2a, "rdtscp returns IA32_TSC_AUX in ecx");
	tap_check(t >= before, "rdtscp reads the same clock as rdtsc, not behind it");
	cpu_wrmsr(MSR_TSC_AUX, 0);
}
