// SPDX-License-Identifier: MIT
/*
 * A walk of the guest's own page tables.
 *
 * The guest's page tables are plain memory on Xen (Xen never sees them):
 * the virtual CR3 names the root by guest-physical address, and guest
 * physical is "virtual minus XEN_PV_VIRT_BASE" for everything in the
 * image, where the tables live.  The MMIO path uses this walk to learn
 * which device page a guest virtual address is mapped to.
 */
#include <previrt/pagewalk.h>
#include "xen-vmm.h"

static int read_entry(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val)
{
	(void)v;
	if (gpa + size > (uint64_t)xen_start_info->nr_pages << 12)
		return -1;
	*val = size == 8 ? *(const volatile uint64_t *)(XEN_PV_VIRT_BASE + gpa)
			 : *(const volatile uint32_t *)(XEN_PV_VIRT_BASE + gpa);
	return 0;
}

static int no_writes(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t bits)
{
	(void)v, (void)gpa, (void)size, (void)bits;
	return -1;	/* a lookup (PREVIRT_PW_PEEK) never sets A or D */
}

static const struct previrt_pw_mem lookup_mem = { read_entry, no_writes };

/* The walk is libprevirt's, as a lookup: no permission check, no A/D. */
uint64_t xen_guest_translate(unsigned long va)
{
	struct previrt_pw_state s;
	struct previrt_pw_result r;

	xen_vtlb_paging_state(&s);
	if (previrt_pagewalk(&xen_vmm.cpu, &lookup_mem, &s, va, PREVIRT_PW_PEEK, &r) != PREVIRT_PW_OK)
		return (uint64_t)-1;
	return r.gpa;
}
