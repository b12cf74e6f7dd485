/* SPDX-License-Identifier: MIT */
/*
 * CPU features some cases depend on, from cpuid. A case whose feature is
 * missing reports its checks as skipped (tap_skip), never as passed.
 */
#ifndef GUEST_FEATURES_H
#define GUEST_FEATURES_H

#include "cpu.h"

static inline int cpu_has_leaf7_ebx(uint32_t bit)
{
	return cpu_cpuid(0, 0).eax >= 7 && (cpu_cpuid(7, 0).ebx & bit);
}

#define FEAT_LEAF1_ECX_MONITOR	(1u << 3)
#define FEAT_LEAF1_ECX_XSAVE	(1u << 26)
#define FEAT_LEAF1_ECX_OSXSAVE	(1u << 27)
#define FEAT_LEAF7_EBX_FSGSBASE	(1u << 0)
#define FEAT_LEAF7_EBX_SMAP	(1u << 20)
#define FEAT_EXT1_EDX_RDTSCP	(1u << 27)

static inline int cpu_has_monitor(void) { return cpu_cpuid(1, 0).ecx & FEAT_LEAF1_ECX_MONITOR; }
static inline int cpu_has_xsave(void) { return cpu_cpuid(1, 0).ecx & FEAT_LEAF1_ECX_XSAVE; }
static inline int cpu_has_fsgsbase(void) { return cpu_has_leaf7_ebx(FEAT_LEAF7_EBX_FSGSBASE); }
static inline int cpu_has_smap(void) { return cpu_has_leaf7_ebx(FEAT_LEAF7_EBX_SMAP); }

static inline int cpu_has_rdtscp(void)
{
	return cpu_cpuid(0x80000000, 0).eax >= 0x80000001 &&
	       (cpu_cpuid(0x80000001, 0).edx & FEAT_EXT1_EDX_RDTSCP);
}

#endif
