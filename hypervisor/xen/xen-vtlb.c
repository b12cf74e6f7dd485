// SPDX-License-Identifier: MIT
/*
 * The virtual TLB: the guest's page tables stay plain memory, and Xen's
 * real page tables hold a cache of their translations, filled on demand.
 *
 * Xen runs us on its own page tables (the bootstrap ones, which map the
 * image at XEN_PV_VIRT_BASE).  The guest builds trees of its own and
 * loads them with "mov %cr3", which only sets the virtual CR3.  When the
 * guest then touches an address the real tables do not map, the hardware
 * faults and Xen bounces the #PF to us (a "hidden" fault).  We walk the
 * guest's tree for the address, as the MMU would:
 *
 *  - not mapped, or a write the guest's entries forbid (CR0.WP honoured,
 *    as for a kernel): the fault is the guest's; it gets #PF with the
 *    error code and CR2 its own tables explain;
 *  - mapped: the guest's accessed bit (and dirty bit on a write) is set,
 *    and the page is entered into the real tables with
 *    HYPERVISOR_update_va_mapping, translated from the guest's "physical"
 *    frame (a pseudo-physical frame of ours) to the machine frame through
 *    the P2M list; a writable page stays read-only until its first write,
 *    so that the dirty bit is set when the guest would see it set.
 *
 * The cache is dropped where a TLB is: all of it on a CR3 load or a CR0.WP
 * change, one page on INVLPG.  Real intermediate tables that the cache
 * needs (an L3, L2 or L1 where Xen's tables have none) come from a small
 * pool of our own pages, made read-only and linked in with mmu_update, as
 * Xen requires of page-table pages.
 *
 * Not done: large pages are entered 4 KiB at a time; entries the guest
 * changes without INVLPG stay cached (as a real TLB may keep them).
 */
#include "xen-vmm.h"

#define PTE_P		0x001UL
#define PTE_RW		0x002UL
#define PTE_US		0x004UL
#define PTE_A		0x020UL
#define PTE_D		0x040UL
#define PTE_PS		0x080UL
#define PTE_NX		(1UL << 63)
#define PTE_ADDR	0x000ffffffffff000UL

#define PF_P		0x01UL
#define PF_W		0x02UL
#define PF_U		0x04UL
#define PF_I		0x10UL

#define CR0_WP		0x10000UL

#define CACHE_MAX	256
#define POOL_PAGES	16

static unsigned long cached[CACHE_MAX];	/* virtual pages entered */
static unsigned int ncached;

static uint8_t pool[POOL_PAGES][4096] __attribute__((aligned(4096)));
static unsigned int pool_used;

static const unsigned long *p2m(void)
{
	return (const unsigned long *)xen_start_info->mfn_list;
}

static unsigned long mfn_of_va(const void *va)
{
	return p2m()[((unsigned long)va - XEN_PV_VIRT_BASE) >> 12];
}

/* Our virtual address of a real page-table page, by its machine frame. */
static uint64_t *table_va(unsigned long mfn)
{
	const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;

	return (uint64_t *)(XEN_PV_VIRT_BASE + (m2p[mfn] << 12));
}

/*
 * Make sure a real L1 table covers va, creating the missing levels.
 * 0, or negative when the pool is empty or Xen refuses.
 */
static int real_tables_for(unsigned long va)
{
	uint64_t *table = (uint64_t *)xen_start_info->pt_base;
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		unsigned int idx = (va >> shift) & 511;
		uint64_t e = table[idx];

		if (!(e & PTE_P)) {
			struct mmu_update u;
			unsigned int done;
			uint8_t *page;
			unsigned long mfn;

			if (pool_used == POOL_PAGES)
				return -1;
			page = pool[pool_used++];
			mfn = mfn_of_va(page);
			/* a page-table page may have no writable mapping */
			if (xen_update_va_mapping((unsigned long)page, (uint64_t)mfn << 12 | PTE_P,
						  UVMF_INVLPG))
				return -2;
			u.ptr = ((uint64_t)mfn_of_va(table) << 12) + idx * 8 + MMU_NORMAL_PT_UPDATE;
			u.val = (uint64_t)mfn << 12 | PTE_P | PTE_RW | PTE_US | PTE_A;
			if (xen_hypercall5(__HYPERVISOR_mmu_update, (unsigned long)&u, 1,
					   (unsigned long)&done, DOMID_SELF, 0))
				return -3;
			e = u.val;
		} else if (e & PTE_PS) {
			return -4;	/* Xen does not give PV guests large pages */
		}
		table = table_va((unsigned long)((e & PTE_ADDR) >> 12));
	}
	return 0;
}

static void remember(unsigned long page)
{
	unsigned int i;

	for (i = 0; i < ncached; i++)
		if (cached[i] == page)
			return;
	if (ncached == CACHE_MAX)
		xen_vtlb_flush_all();
	cached[ncached++] = page;
}

void xen_vtlb_invlpg(unsigned long va)
{
	unsigned long page = va & ~0xfffUL;
	unsigned int i;

	for (i = 0; i < ncached; i++)
		if (cached[i] == page) {
			xen_update_va_mapping(page, 0, UVMF_INVLPG);
			cached[i] = cached[--ncached];
			return;
		}
}

void xen_vtlb_flush_all(void)
{
	while (ncached)
		xen_update_va_mapping(cached[--ncached], 0, UVMF_INVLPG);
}

/* Guest-physical frames are our pseudo-physical frames, mapped or not. */
static int guest_frame_ok(uint64_t gpa)
{
	return (gpa >> 12) < xen_start_info->nr_pages;
}

long xen_vtlb_fault(unsigned long va, unsigned long real_error)
{
	volatile uint64_t *entries[4];
	uint64_t e = xen_vmm.cpu.cr3 & PTE_ADDR, gpa, pte;
	int write = (real_error & PF_W) != 0;
	int writable = 1, nx = 0, n = 0, shift;
	unsigned long gerr = (real_error & (PF_W | PF_I));

	/* The walk, as the MMU does it; e is the next table's address. */
	for (shift = 39; shift >= 12; shift -= 9) {
		volatile uint64_t *slot = (volatile uint64_t *)(XEN_PV_VIRT_BASE + (e & PTE_ADDR)) +
					  ((va >> shift) & 511);

		e = *slot;
		if (!(e & PTE_P))
			return (long)gerr;
		entries[n++] = slot;
		writable &= (e & PTE_RW) != 0;
		nx |= (e & PTE_NX) != 0;
		if (shift != 12 && shift != 39 && (e & PTE_PS)) {
			uint64_t size = 1UL << shift;
			e = (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1) & ~0xfffUL);
			break;
		}
	}
	gpa = e & PTE_ADDR;
	if (write && !writable && (xen_vmm.cpu.cr0 & CR0_WP))
		return (long)(gerr | PF_P);
	if ((real_error & PF_I) && nx)
		return (long)(gerr | PF_P);
	if (!guest_frame_ok(gpa))
		return (long)(gerr | PF_P);	/* no such memory: the guest's problem */

	/* The MMU's side effects on the guest's tables. */
	for (int i = 0; i < n; i++)
		*entries[i] |= PTE_A;
	if (write)
		*entries[n - 1] |= PTE_D;

	pte = (uint64_t)p2m()[gpa >> 12] << 12 | PTE_P | PTE_US | PTE_A;
	/*
	 * Writable only once dirty, so that the first store faults and sets
	 * D.  With CR0.WP clear a kernel may write to read-only pages too.
	 */
	if ((writable || !(xen_vmm.cpu.cr0 & CR0_WP)) && (write || (*entries[n - 1] & PTE_D)))
		pte |= PTE_RW | PTE_D;
	if (nx)
		pte |= PTE_NX;
	if (xen_update_va_mapping(va & ~0xfffUL, pte, UVMF_INVLPG)) {
		if (real_tables_for(va) ||
		    xen_update_va_mapping(va & ~0xfffUL, pte, UVMF_INVLPG))
			return -2;
	}
	remember(va & ~0xfffUL);
	return -1;
}
