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
#include "xen-vmm.h"

#define PTE_P		0x001UL
#define PTE_PS		0x080UL
#define PTE_ADDR	0x000ffffffffff000UL

static const uint64_t *table_at(uint64_t phys)
{
	return (const uint64_t *)(phys + XEN_PV_VIRT_BASE);
}

uint64_t xen_guest_translate(unsigned long va)
{
	uint64_t entry = xen_vmm.cpu.cr3 & PTE_ADDR;
	int shift;

	for (shift = 39; shift >= 12; shift -= 9) {
		entry = table_at(entry & PTE_ADDR)[(va >> shift) & 511];
		if (!(entry & PTE_P))
			return (uint64_t)-1;
		if (shift != 12 && shift != 39 && (entry & PTE_PS)) {
			uint64_t size = 1UL << shift;
			return (entry & PTE_ADDR & ~(size - 1)) | (va & (size - 1));
		}
	}
	return (entry & PTE_ADDR) | (va & 0xfff);
}
