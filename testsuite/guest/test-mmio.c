/* SPDX-License-Identifier: MIT */
/*
 * MMIO through the device accessors readl/writel on the LAPIC: registers
 * with known contents (version, ID agreeing with cpuid) and one that keeps
 * what is written (the task priority register).
 */
#include "cpu.h"
#include "lapic.h"
#include "tap.h"
#include "tests.h"

void test_mmio(void)
{
	tap_case("mmio");

	uint32_t version = lapic_read(LAPIC_VERSION);
	tap_check((version & 0xff) >= 0x10 && (version & 0xff) <= 0x15,
		  "LAPIC version is an integrated APIC's (0x%x)", version & 0xff);
	tap_check(((version >> 16) & 0xff) >= 3, "LAPIC reports at least 4 LVT entries (%u)",
		  ((version >> 16) & 0xff) + 1);
	tap_eq(lapic_read(LAPIC_ID) >> 24, cpu_cpuid(1, 0).ebx >> 24,
	       "LAPIC ID register agrees with cpuid's initial APIC ID");

	uint32_t tpr = lapic_read(LAPIC_TPR);
	lapic_write(LAPIC_TPR, 0x20);
	tap_eq(lapic_read(LAPIC_TPR) & 0xff, 0x20, "TPR reads back 0x20");
	lapic_write(LAPIC_TPR, 0x00);
	tap_eq(lapic_read(LAPIC_TPR) & 0xff, 0x00, "TPR reads back 0x00");
	lapic_write(LAPIC_TPR, tpr);

	tap_eq(lapic_read(LAPIC_SVR) & 0x1ff, 0x100 | 0xff, "SVR reads back enabled, vector 0xff");
}
