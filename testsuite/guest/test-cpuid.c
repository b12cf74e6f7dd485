/* SPDX-License-Identifier: MIT */
/*
 * cpuid: leaves whose answers the running CPU fixes (it runs 64-bit code
 * with a LAPIC, MSRs and a TSC, so it must report them). The LAPIC ID
 * cross-check against cpuid is in the MMIO case.
 */
#include "cpu.h"
#include "tap.h"
#include "tests.h"

#define LEAF1_EDX_TSC	(1u << 4)
#define LEAF1_EDX_MSR	(1u << 5)
#define LEAF1_EDX_APIC	(1u << 9)
#define EXT1_EDX_LM	(1u << 29)

static int printable(uint32_t word)
{
	for (int i = 0; i < 4; i++, word >>= 8)
		if ((word & 0xff) < 0x20 || (word & 0xff) > 0x7e)
			return 0;
	return 1;
}

void test_cpuid(void)
{
	tap_case("cpuid");

	struct cpuid_regs r0 = cpu_cpuid(0, 0);
	tap_check(r0.eax >= 1, "leaf 0: highest basic leaf is at least 1 (%u)", r0.eax);
	tap_check(printable(r0.ebx) && printable(r0.edx) && printable(r0.ecx),
		  "leaf 0: vendor string is 12 printable characters");
	char vendor[13];
	for (int i = 0; i < 4; i++) {
		vendor[i] = (char)(r0.ebx >> (8 * i));
		vendor[4 + i] = (char)(r0.edx >> (8 * i));
		vendor[8 + i] = (char)(r0.ecx >> (8 * i));
	}
	vendor[12] = 0;
	tap_note("cpuid vendor \"%s\"", vendor);

	struct cpuid_regs again = cpu_cpuid(0, 0);
	tap_check(again.eax == r0.eax && again.ebx == r0.ebx, "leaf 0 answers the same twice");

	struct cpuid_regs r1 = cpu_cpuid(1, 0);
	uint32_t need = LEAF1_EDX_TSC | LEAF1_EDX_MSR | LEAF1_EDX_APIC;
	tap_eq(r1.edx & need, need, "leaf 1: TSC, MSR and APIC present");

	struct cpuid_regs e0 = cpu_cpuid(0x80000000, 0);
	tap_check(e0.eax >= 0x80000001, "leaf 0x80000000: extended leaves reach 0x80000001 (0x%x)", e0.eax);
	struct cpuid_regs e1 = cpu_cpuid(0x80000001, 0);
#ifdef __x86_64__
	tap_eq(e1.edx & EXT1_EDX_LM, EXT1_EDX_LM, "leaf 0x80000001: long mode present");
#else
	(void)e1;	/* the i386 guest may run on a CPU without long mode */
#endif
}
