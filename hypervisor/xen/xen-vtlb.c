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
 * User mode (xen-user.c) runs on a second root of ours, filled the same way
 * by faults taken at CPL 3, where every level of the guest's walk must
 * also allow user access (U).
 *
 * SMAP is honoured for the kernel: with CR4.SMAP set and AC clear, a user
 * page is not entered for it, and entries made while AC was set are
 * dropped when it is cleared.
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
#define CR4_SMAP	(1UL << 21)

#define CACHE_MAX	256
#define POOL_PAGES	24
#define CACHED_USER	1UL	/* bit 0 of a cached page: entered in the user root */
#define CACHED_UPAGE	2UL	/* bit 1: a user page entered for the kernel (SMAP) */

static unsigned long cached[CACHE_MAX];	/* virtual pages entered, | CACHED_USER */
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

static int mmu_update(uint64_t maddr, uint64_t val)
{
	struct mmu_update u;
	unsigned int done;

	u.ptr = maddr | MMU_NORMAL_PT_UPDATE;
	u.val = val;
	return (int)xen_hypercall5(__HYPERVISOR_mmu_update, (unsigned long)&u, 1,
				   (unsigned long)&done, DOMID_SELF, 0);
}

/* A zeroed pool page, made read-only as a page-table page must be: its mfn. */
static unsigned long new_table(void)
{
	uint8_t *page;
	unsigned long mfn;

	if (pool_used == POOL_PAGES)
		return 0;
	page = pool[pool_used++];
	mfn = mfn_of_va(page);
	if (xen_update_va_mapping((unsigned long)page, (uint64_t)mfn << 12 | PTE_P, UVMF_INVLPG))
		return 0;
	return mfn;
}

unsigned long xen_vtlb_new_root(void)
{
	return new_table();
}

/*
 * Machine address of the real L1 entry for va under the root at root,
 * creating missing levels when create is set; 0 when there is none.
 */
static uint64_t l1_entry(uint64_t *root, unsigned long va, int create)
{
	uint64_t *table = root;
	int shift;

	for (shift = 39; shift > 12; shift -= 9) {
		unsigned int idx = (va >> shift) & 511;
		uint64_t e = table[idx];

		if (!(e & PTE_P)) {
			unsigned long mfn;

			if (!create || !(mfn = new_table()))
				return 0;
			e = (uint64_t)mfn << 12 | PTE_P | PTE_RW | PTE_US | PTE_A;
			if (mmu_update(((uint64_t)mfn_of_va(table) << 12) + idx * 8, e))
				return 0;
		} else if (e & PTE_PS) {
			return 0;	/* Xen gives PV guests no large pages */
		}
		table = table_va((unsigned long)((e & PTE_ADDR) >> 12));
	}
	return ((uint64_t)mfn_of_va(table) << 12) + ((va >> 12) & 511) * 8;
}

static uint64_t *kernel_root(void)
{
	return (uint64_t *)xen_start_info->pt_base;
}

static uint64_t *user_root(void)
{
	return table_va(xen_user_root_mfn);
}

static void drop(unsigned long entry)
{
	unsigned long page = entry & ~0xfffUL;


	if (entry & CACHED_USER) {
		uint64_t e = l1_entry(user_root(), page, 0);
		if (e)
			mmu_update(e, 0);
		/* the user root is not loaded in kernel mode: no TLB entry to flush */
	} else {
		xen_update_va_mapping(page, 0, UVMF_INVLPG);
	}
}

static void remember(unsigned long entry)
{
	unsigned int i;

	for (i = 0; i < ncached; i++)
		if (cached[i] == entry)
			return;
	if (ncached == CACHE_MAX)
		xen_vtlb_flush_all();
	cached[ncached++] = entry;
}

void xen_vtlb_invlpg(unsigned long va)
{
	unsigned long page = va & ~0xfffUL;
	unsigned int i;

	for (i = 0; i < ncached;)
		if ((cached[i] & ~0xfffUL) == page) {
			drop(cached[i]);
			cached[i] = cached[--ncached];
		} else {
			i++;
		}
}

/*
 * Kernel entries of user pages, which SMAP forbids while AC is clear: the
 * backend drops them when the guest clears AC or sets CR4.SMAP, so that
 * the next access walks again and faults.
 */
void xen_vtlb_flush_user_pages(void)
{
	unsigned int i;

	for (i = 0; i < ncached;)
		if (cached[i] & CACHED_UPAGE) {
			drop(cached[i]);
			cached[i] = cached[--ncached];
		} else {
			i++;
		}
}

void xen_vtlb_flush_all(void)
{
	while (ncached)
		drop(cached[--ncached]);
}

/* Guest-physical frames are our pseudo-physical frames, mapped or not. */
static int guest_frame_ok(uint64_t gpa)
{
	return (gpa >> 12) < xen_start_info->nr_pages;
}

long xen_vtlb_fault(unsigned long va, unsigned long real_error, int user)
{
	volatile uint64_t *entries[4];
	uint64_t e = xen_vmm.cpu.cr3 & PTE_ADDR, gpa, pte;
	int write = (real_error & PF_W) != 0;
	int writable = 1, usable = 1, nx = 0, n = 0, shift;
	unsigned long gerr = (real_error & (PF_W | PF_I)) | (user ? PF_U : 0);

	/* The walk, as the MMU does it; e is the next table's address. */
	for (shift = 39; shift >= 12; shift -= 9) {
		volatile uint64_t *slot = (volatile uint64_t *)(XEN_PV_VIRT_BASE + (e & PTE_ADDR)) +
					  ((va >> shift) & 511);

		e = *slot;
		if (!(e & PTE_P))
			return (long)gerr;
		entries[n++] = slot;
		writable &= (e & PTE_RW) != 0;
		usable &= (e & PTE_US) != 0;
		nx |= (e & PTE_NX) != 0;
		if (shift != 12 && shift != 39 && (e & PTE_PS)) {
			uint64_t size = 1UL << shift;
			e = (e & PTE_ADDR & ~(size - 1)) | (va & (size - 1) & ~0xfffUL);
			break;
		}
	}
	gpa = e & PTE_ADDR;
	if (user && !usable)
		return (long)(gerr | PF_P);
	if (!user && usable && (xen_vmm.cpu.cr4 & CR4_SMAP) && !xen_vmm.cpu.ac_flag)
		return (long)(gerr | PF_P);	/* SMAP: a supervisor access to a user page */
	if (write && !writable && (user || (xen_vmm.cpu.cr0 & CR0_WP)))
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
	if ((writable || (!user && !(xen_vmm.cpu.cr0 & CR0_WP))) &&
	    (write || (*entries[n - 1] & PTE_D)))
		pte |= PTE_RW | PTE_D;
	if (nx)
		pte |= PTE_NX;
	if (user) {
		uint64_t slot = l1_entry(user_root(), va, 1);

		if (!slot || mmu_update(slot, pte))
			return -2;
	} else if (xen_update_va_mapping(va & ~0xfffUL, pte, UVMF_INVLPG)) {
		if (!l1_entry(kernel_root(), va, 1) ||
		    xen_update_va_mapping(va & ~0xfffUL, pte, UVMF_INVLPG))
			return -2;
	}
	remember((va & ~0xfffUL) | (user ? CACHED_USER : 0) | (!user && usable ? CACHED_UPAGE : 0));
	return -1;
}
