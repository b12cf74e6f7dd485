/* SPDX-License-Identifier: MIT */
/*
 * xsetbv: XCR0 under CR4.OSXSAVE. Setting OSXSAVE must show in cpuid (leaf
 * 1 ECX.OSXSAVE follows CR4), XCR0 must keep legal values, and an illegal
 * one (x87 bit clear) must raise #GP(0).
 */
#include "cpu.h"
#include "features.h"
#include "probe.h"
#include "tap.h"
#include "tests.h"

#define XCR0_X87	(1ull << 0)
#define XCR0_SSE	(1ull << 1)

void test_xcr(void)
{
	tap_case("xcr");
	if (!cpu_has_xsave()) {
		tap_skip("no XSAVE in cpuid", "xsetbv");
		return;
	}

	uint64_t cr4 = cpu_read_cr4();
	cpu_write_cr4(cr4 | CR4_OSXSAVE);
	tap_check(cpu_cpuid(1, 0).ecx & FEAT_LEAF1_ECX_OSXSAVE, "cpuid shows OSXSAVE once CR4 has it");
	uint64_t xcr0 = cpu_xgetbv(0);
	tap_eq(xcr0 & XCR0_X87, XCR0_X87, "XCR0 has the x87 bit");
	cpu_xsetbv(0, XCR0_X87 | XCR0_SSE);
	tap_eq(cpu_xgetbv(0), XCR0_X87 | XCR0_SSE, "xsetbv XCR0 = x87|SSE reads back");
	cpu_xsetbv(0, XCR0_X87);
	tap_eq(cpu_xgetbv(0), XCR0_X87, "xsetbv XCR0 = x87 reads back");

	struct probe p;
	probe_xsetbv(0, XCR0_SSE, &p);
	tap_check(p.rec.taken, "xsetbv of XCR0 without x87 faults");
	tap_eq(p.rec.vector, VEC_GP, "illegal XCR0: vector");
	tap_eq(p.rec.error, 0, "illegal XCR0: error code");
	tap_eq(cpu_xgetbv(0), XCR0_X87, "illegal XCR0 left XCR0 alone");

	cpu_xsetbv(0, xcr0);
	cpu_write_cr4(cr4);
	tap_check(!(cpu_cpuid(1, 0).ecx & FEAT_LEAF1_ECX_OSXSAVE), "cpuid drops OSXSAVE with CR4");
}
