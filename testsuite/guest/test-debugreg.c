/* SPDX-License-Identifier: MIT */
/*
 * Debug registers: a data breakpoint set through DR0/DR7 must trap (#DB)
 * on the store that hits it and report itself in DR6.
 */
#include "cpu.h"
#include "probe.h"
#include "tap.h"
#include "tests.h"

#define DR7_L0		(1ull << 0)
#define DR7_RW0_WRITE	(1ull << 16)	/* break on data writes */
#ifdef __x86_64__
#define DR7_LEN0_8	(2ull << 18)	/* 8 bytes */
#else
#define DR7_LEN0_8	(3ull << 18)	/* 4 bytes: 8 is for 64-bit mode only */
#endif
#define DR6_B0		(1ull << 0)

static volatile uint64_t watched;

void test_debugreg(void)
{
	struct probe p;

	tap_case("debugreg");

	cpu_write_dr0((uintptr_t)&watched);
	tap_eq(cpu_read_dr0(), (uintptr_t)&watched, "DR0 reads back the breakpoint address");
	cpu_write_dr6(0);
	cpu_write_dr7(DR7_L0 | DR7_RW0_WRITE | DR7_LEN0_8);
	tap_eq(cpu_read_dr7() & (DR7_L0 | DR7_RW0_WRITE | DR7_LEN0_8),
	       DR7_L0 | DR7_RW0_WRITE | DR7_LEN0_8, "DR7 reads back the enabled breakpoint");

	probe_store(&watched, 42, &p);
	uint64_t dr6 = cpu_read_dr6();
	cpu_write_dr7(0);

	tap_check(p.rec.taken, "a store to the watched address traps");
	tap_eq(p.rec.vector, VEC_DB, "watchpoint: vector");
	tap_eq(p.rec.rip, p.next, "watchpoint: rip is after the store (a trap)");
	tap_eq(dr6 & DR6_B0, DR6_B0, "DR6 names breakpoint 0");
	tap_eq(watched, 42, "the store itself completed");

	probe_store(&watched, 43, &p);
	tap_check(!p.rec.taken, "with DR7 cleared the same store does not trap");
}
