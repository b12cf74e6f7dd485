// SPDX-License-Identifier: MIT
/*
 * Start of day: what Xen handed over, and the shared page.
 *
 * Xen gives a PV kernel the machine address of its shared_info page but
 * maps it nowhere; the kernel asks for it to appear at a virtual address
 * of its choice.  We sacrifice one page of our own bss for that: its
 * pseudo-physical frame stays allocated but is never touched again.
 */
#include "xen-pv.h"

start_info_t *xen_start_info;
struct shared_info *xen_shared;
struct vcpu_info *xen_vcpu;

/* Global: the patched sleds' stubs address the event mask in it directly. */
unsigned char xen_shared_page[4096] __attribute__((aligned(4096)));

#define PTE_PRESENT	0x001UL
#define PTE_WRITE	0x002UL
#define PTE_NX		(1UL << 63)

int xen_pv_setup(start_info_t *si)
{
	long rc;

	xen_start_info = si;
	rc = xen_update_va_mapping((unsigned long)xen_shared_page,
				   (si->shared_info & ~0xfffUL) | PTE_PRESENT | PTE_WRITE | PTE_NX,
				   UVMF_INVLPG);
	if (rc)
		return (int)rc;
	xen_shared = (struct shared_info *)xen_shared_page;
	xen_vcpu = &xen_shared->vcpu_info[0];
	return 0;
}

uint64_t xen_pv_system_time(void)
{
	volatile struct vcpu_time_info *t = &xen_vcpu->time;
	uint32_t version, mul;
	uint64_t stamp, sys, delta;
	int8_t shift;
	uint32_t lo, hi;

	/* Xen bumps the version to odd while it rewrites the record. */
	do {
		version = t->version;
		__asm__ volatile("" ::: "memory");
		stamp = t->tsc_timestamp;
		sys = t->system_time;
		mul = t->tsc_to_system_mul;
		shift = t->tsc_shift;
		__asm__ volatile("" ::: "memory");
	} while ((version & 1) || version != t->version);

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	delta = ((uint64_t)hi << 32 | lo) - stamp;
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	/* ns = delta * mul / 2^32, without a 128-bit type */
	return sys + (((delta & 0xffffffffUL) * mul) >> 32) + (delta >> 32) * mul;
}
