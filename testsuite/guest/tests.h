/* SPDX-License-Identifier: MIT */
/*
 * The conformance cases, one function per instruction class (or per group
 * of classes a hypervisor maps together). Each reports TAP checks of
 * architectural results through tap.h. guest_main runs them in this order;
 * later cases rely on what earlier setup did (GDT, IDT, LAPIC), never on
 * what an earlier case left behind.
 */
#ifndef GUEST_TESTS_H
#define GUEST_TESTS_H

void test_sites(void);		/* the site table the plugin left */
void test_irqflags(void);	/* cli sti pushf popf */
void test_pio(void);		/* in out */
void test_cr(void);		/* mov to/from cr0 cr4 */
void test_paging(void);		/* cr3, invlpg, #PF, CR0.WP, A/D bits */
void test_desc(void);		/* lgdt lidt sgdt sidt ltr str */
void test_segments(void);	/* segment loads and reads, lar lsl verr verw */
void test_exceptions(void);	/* int3 #UD #GP #DE through the guest's IDT */
void test_debugreg(void);	/* mov to/from dr0 dr6 dr7, #DB */
void test_timer(void);		/* LAPIC timer interrupt, IF masking, hlt, mwait */
void test_cpuid(void);		/* cpuid */
void test_msr(void);		/* rdmsr wrmsr swapgs */
void test_tsc(void);		/* rdtsc rdtscp */
void test_mmio(void);		/* readl/writel device sites on the LAPIC */
void test_fsgsbase(void);	/* rdfsbase wrfsbase rdgsbase */
void test_xcr(void);		/* xsetbv */
void test_smap(void);		/* stac clac */
void test_cache(void);		/* wbinvd */
void test_user(void);		/* sysretq, and what CPL 3 sees and may not do */
void test_unpatched(void);	/* i386: sensitive instructions outside any sled */

#endif
