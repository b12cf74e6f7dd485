/* SPDX-License-Identifier: MIT */
/* Page-table pages from a static pool, walked and filled through the high window. */
#include "paging.h"
#include "cpu.h"
#include "tap.h"

#define POOL_PAGES	32
#define ENTRIES		512

static uint64_t pool[POOL_PAGES][ENTRIES]
	__attribute__((aligned(GUEST_PAGE_SIZE), section(".bss.pagealigned")));
static unsigned pool_used;
static unsigned devices_mapped;

void *page_alloc(void)
{
	if (pool_used == POOL_PAGES)
		tap_bail("page-table pool exhausted");
	uint64_t *page = pool[pool_used++];
	for (unsigned i = 0; i < ENTRIES; i++)
		page[i] = 0;
	return page;
}

uint64_t *pml4_current(void)
{
	return phys_to_virt(cpu_read_cr3() & PTE_ADDR_MASK);
}

uint64_t *pml4_new(void)
{
	uint64_t *cur = pml4_current(), *pml4 = page_alloc();

	for (unsigned i = PAGING_TOP_ENTRIES / 2; i < PAGING_TOP_ENTRIES; i++)
		pml4[i] = cur[i];
	return pml4;
}

volatile uint64_t *pte_lookup(uint64_t *pml4, uint64_t va)
{
	uint64_t *table = pml4;

	/* PML4, PDPT, PD: each level's index is 9 bits, from bit 39 down
	 * (i386 PAE: PDPT, PD, from bit 30 down). */
	for (int shift = PAGING_TOP_SHIFT; shift > 12; shift -= 9) {
		uint64_t *entry = &table[(va >> shift) & (ENTRIES - 1)];
		uint64_t flags = shift == PAGING_TOP_SHIFT ? PAGING_TOP_TABLE_FLAGS
							   : PTE_P | PTE_RW | PTE_U;

		if (!(*entry & PTE_P))
			*entry = virt_to_phys(page_alloc()) | flags;
		else if (*entry & PTE_PS)
			tap_bail("0x%llx is inside a large page", (unsigned long long)va);
		table = phys_to_virt(*entry & PTE_ADDR_MASK);
	}
	return &table[(va >> 12) & (ENTRIES - 1)];
}

volatile void *map_device(uint64_t pa)
{
	uint64_t va = DEVICE_WINDOW + (uint64_t)devices_mapped++ * GUEST_PAGE_SIZE;

	*pte_lookup(pml4_current(), va) = (pa & PTE_ADDR_MASK) | PTE_P | PTE_RW | PTE_PCD | PTE_PWT;
	cpu_invlpg((void *)(uintptr_t)va);
	return (volatile void *)(uintptr_t)(va + (pa & (GUEST_PAGE_SIZE - 1)));
}
