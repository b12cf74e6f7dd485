/* SPDX-License-Identifier: MIT */
/*
 * Page tables the guest builds at run time: address spaces for the paging
 * cases and the mapping of device registers. Tables come from a static pool
 * inside the image, so their physical addresses are known (layout.h).
 */
#ifndef GUEST_PAGING_H
#define GUEST_PAGING_H

#include <stdint.h>
#include "layout.h"

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_U		(1ull << 2)
#define PTE_PWT		(1ull << 3)
#define PTE_PCD		(1ull << 4)
#define PTE_A		(1ull << 5)
#define PTE_D		(1ull << 6)
#define PTE_PS		(1ull << 7)
#define PTE_ADDR_MASK	0x000ffffffffff000ull

/* Page-fault error code bits. */
#define PF_PRESENT	(1ull << 0)
#define PF_WRITE	(1ull << 1)
#define PF_USER		(1ull << 2)

#ifdef __x86_64__
/* Where device registers get mapped: the last 1 GiB of the address space. */
#define DEVICE_WINDOW	0xffffffffc0000000ull
/* Four levels (PML4, PDPT, PD, PT); the first index starts at bit 39. */
#define PAGING_TOP_SHIFT	39
#define PAGING_TOP_ENTRIES	512
/* Bits a table-pointing entry gets: user access is the leaf's decision. */
#define PAGING_TOP_TABLE_FLAGS	(PTE_P | PTE_RW | PTE_U)
#else
/*
 * i386 with PAE: the same 64-bit entries, three levels. The "PML4" of the
 * functions below is the 4-entry PDPT, whose entries take no RW/U bits.
 * Devices go to the 4 MiB below 3 GiB, above the 512 MiB high window
 * and below an L4 kernel's area.
 */
#define DEVICE_WINDOW	0xbfc00000ull
#define PAGING_TOP_SHIFT	30
#define PAGING_TOP_ENTRIES	4
#define PAGING_TOP_TABLE_FLAGS	PTE_P
#endif

static inline uint64_t virt_to_phys(const volatile void *va)
{
	return (uintptr_t)va - GUEST_VIRT_BASE;
}

static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)(pa + GUEST_VIRT_BASE);
}

/* A zeroed page from the pool; bails out when the pool is empty. */
void *page_alloc(void);

/* A new top-level table sharing the current kernel half (PML4 256..511; PDPT 2..3). */
uint64_t *pml4_new(void);

/* The current top-level table, as the CPU sees it (CR3). */
uint64_t *pml4_current(void);

/*
 * The 4 KiB PTE for va under pml4, creating missing tables. Tables it
 * creates allow user access; the leaf entry alone decides it.
 */
volatile uint64_t *pte_lookup(uint64_t *pml4, uint64_t va);

/* Map one page of device registers uncached; returns its virtual address. */
volatile void *map_device(uint64_t pa);

#endif
