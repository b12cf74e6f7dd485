/* SPDX-License-Identifier: MIT */
/*
 * MSRs that are harmless to touch: EFER and APIC_BASE read (their bits
 * follow from how we run), FS_BASE/GS_BASE written, read back and used by
 * a segment-relative load, and KERNEL_GS_BASE exchanged by swapgs.
 */
#include "cpu.h"
#include "tap.h"
#include "tests.h"

#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_DEFAULT	0xfee00000ull

#ifdef __x86_64__
static uint64_t fs_target = 0xf5f5f5f5f5f5f5f5ull;
static uint64_t gs_target = 0x6565656565656565ull;
static uint64_t kgs_target = 0x4b4b4b4b4b4b4b4bull;

static uint64_t load_fs0(void)
{
	uint64_t v;
	__asm__ volatile("movq %%fs:0, %0" : "=r"(v) :: "memory");
	return v;
}

static uint64_t load_gs0(void)
{
	uint64_t v;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(v) :: "memory");
	return v;
}
#endif

void test_msr(void)
{
	tap_case("msr");

	uint64_t efer = cpu_rdmsr(MSR_EFER);
#ifdef __x86_64__
	tap_eq(efer & (EFER_LME | EFER_LMA), EFER_LME | EFER_LMA, "EFER has LME and LMA");
#else
	tap_eq(efer & (EFER_LME | EFER_LMA), 0, "EFER has neither LME nor LMA (legacy mode)");
#endif

	uint64_t apic = cpu_rdmsr(MSR_APIC_BASE);
	tap_eq(apic & (APIC_BASE_BSP | APIC_BASE_ENABLE), APIC_BASE_BSP | APIC_BASE_ENABLE,
	       "APIC_BASE: bootstrap processor, APIC enabled");
	tap_eq(apic & 0xfffff000ull, APIC_BASE_DEFAULT, "APIC_BASE: default base address");
#ifdef __x86_64__	/* FS_BASE, GS_BASE, swapgs: long mode only */

	cpu_wrmsr(MSR_FS_BASE, (uint64_t)&fs_target);
	tap_eq(cpu_rdmsr(MSR_FS_BASE), (uint64_t)&fs_target, "FS_BASE reads back");
	tap_eq(load_fs0(), fs_target, "a %%fs:0 load reads through FS_BASE");
	cpu_wrmsr(MSR_FS_BASE, 0);
	tap_eq(cpu_rdmsr(MSR_FS_BASE), 0, "FS_BASE cleared");

	cpu_wrmsr(MSR_GS_BASE, (uint64_t)&gs_target);
	cpu_wrmsr(MSR_KERNEL_GS_BASE, (uint64_t)&kgs_target);
	tap_eq(cpu_rdmsr(MSR_GS_BASE), (uint64_t)&gs_target, "GS_BASE reads back");
	tap_eq(load_gs0(), gs_target, "a %%gs:0 load reads through GS_BASE");
	cpu_swapgs();
	tap_eq(cpu_rdmsr(MSR_GS_BASE), (uint64_t)&kgs_target, "swapgs: GS_BASE holds the kernel value");
	tap_eq(cpu_rdmsr(MSR_KERNEL_GS_BASE), (uint64_t)&gs_target,
	       "swapgs: KERNEL_GS_BASE holds the old GS_BASE");
	tap_eq(load_gs0(), kgs_target, "a %%gs:0 load follows the swap");
	cpu_swapgs();
	tap_eq(load_gs0(), gs_target, "a second swapgs swaps back");
	cpu_wrmsr(MSR_GS_BASE, 0);
	cpu_wrmsr(MSR_KERNEL_GS_BASE, 0);
#endif
}
