/* SPDX-License-Identifier: MIT */
/*
 * rdfsbase/wrfsbase/rdgsbase: the same bases the MSRs hold, usable only
 * while CR4.FSGSBASE is set (#UD otherwise).
 */
#include "cpu.h"
#include "features.h"
#include "probe.h"
#include "tap.h"
#include "tests.h"

static uint64_t fs_word = 0x0123456789abcdefull;
static uint64_t gs_word;

static uint64_t load_fs0(void)
{
	uint64_t v;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(v) :: "memory");
	return v;
}

void test_fsgsbase(void)
{
	tap_case("fsgsbase");
	if (!cpu_has_fsgsbase()) {
		tap_skip("no FSGSBASE in cpuid", "rdfsbase/wrfsbase/rdgsbase");
		return;
	}

	uint64_t cr4 = cpu_read_cr4();
	cpu_write_cr4(cr4 | CR4_FSGSBASE);
	cpu_wrfsbase((uint64_t)&fs_word);
	tap_eq(cpu_rdmsr(MSR_FS_BASE), (uint64_t)&fs_word, "wrfsbase sets what FS_BASE reads");
	tap_eq(cpu_rdfsbase(), (uint64_t)&fs_word, "rdfsbase reads it back");
	tap_eq(load_fs0(), fs_word, "a %%fs:0 load uses it");
	cpu_wrmsr(MSR_GS_BASE, (uint64_t)&gs_word);
	tap_eq(cpu_rdgsbase(), (uint64_t)&gs_word, "rdgsbase reads what wrmsr GS_BASE set");
	cpu_wrfsbase(0);
	cpu_wrmsr(MSR_GS_BASE, 0);

	cpu_write_cr4(cr4 & ~CR4_FSGSBASE);
	struct probe p;
	probe_rdfsbase(&p);
	tap_check(p.rec.taken && p.rec.vector == VEC_UD,
		  "with CR4.FSGSBASE clear rdfsbase raises #UD (vector %ld)",
		  p.rec.taken ? (long)p.rec.vector : -1L);
	cpu_write_cr4(cr4);
}
