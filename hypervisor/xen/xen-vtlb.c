// SPDX-License-Identifier: MIT
/*
 * The virtual TLB on Xen: libprevirt's algorithm (previrt/vtlb.h, the walk
 * in previrt/pagewalk.h) with Xen's primitives behind it.
 *
 * Xen runs us on its own page tables (the bootstrap ones, which map the
 * image at XEN_PV_VIRT_BASE).  The guest builds trees of its own and loads
 * them with "mov %cr3", which only sets the virtual CR3.  A guest access
 * the real tables do not map faults, Xen bounces the #PF to us (a hidden
 * fault), and the core walks the guest's tree and either returns the
 * guest's #PF or asks us to enter the page.  What is Xen's here:
 *
 *  - guest-physical memory is our pseudo-physical memory, at
 *    XEN_PV_VIRT_BASE + gpa, and a frame is entered by its machine frame
 *    (the P2M list) with HYPERVISOR_update_va_mapping;
 *  - CPL 3 (xen-user.c) runs on a second root of ours, the core's "user"
 *    space, filled with mmu_update;
 *  - real intermediate tables (an L3, L2 or L1 where Xen's tables have
 *    none) come from a small pool of our own pages, made read-only and
 *    linked in with mmu_update, as Xen requires of page-table pages;
 *  - the guest runs in long mode with NX available (EFER.LMA and NXE).
 *
 * Not done: the pool of intermediate tables is not recycled (when it is
 * used up a fill fails loudly); CR3 loads drop every entry, globals too
 * (xen-cpu.c calls xen_vtlb_flush_all; previrt_vtlb_new_cr3 is there for it).
 */
#include "xen-vmm.h"

#include <previrt/vtlb.h>
#include <previrt/x86-paging.h>

#define PTE_P		X86_PTE_P
#define PTE_RW		X86_PTE_RW
#define PTE_US		X86_PTE_US
#define PTE_A		X86_PTE_A
#define PTE_D		X86_PTE_D
#define PTE_PS		X86_PTE_PS
#define PTE_NX		X86_PTE_NX
#define PTE_ADDR	X86_PTE_ADDR

#define SLOTS		1024	/* cached translations (recycled when full) */
#define BUCKETS		2048
#define POOL_PAGES	24

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

/* Guest-physical memory: our pseudo-physical frames, in the image's mapping. */
static int gpa_ok(uint64_t gpa, unsigned int size)
{
	return gpa + size <= (uint64_t)xen_start_info->nr_pages << 12;
}

static int mem_read(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val)
{
	(void)v;
	if (!gpa_ok(gpa, size))
		return -1;
	*val = size == 8 ? *(volatile uint64_t *)(XEN_PV_VIRT_BASE + gpa)
			 : *(volatile uint32_t *)(XEN_PV_VIRT_BASE + gpa);
	return 0;
}

static int mem_set_bits(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t bits)
{
	(void)v;
	if (!gpa_ok(gpa, size))
		return -1;
	if (size == 8)
		__atomic_fetch_or((uint64_t *)(XEN_PV_VIRT_BASE + gpa), bits, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_or((uint32_t *)(XEN_PV_VIRT_BASE + gpa), (uint32_t)bits,
				  __ATOMIC_SEQ_CST);
	return 0;
}

static const struct previrt_pw_mem guest_mem = { mem_read, mem_set_bits };

static int map(struct previrt_vcpu *v, uint64_t va, uint64_t gpa, unsigned int rights,
	       unsigned int space)
{
	uint64_t pte;

	(void)v;
	if (!gpa_ok(gpa, 4096))
		return 1;	/* no such memory: the guest's problem */
	/* The guest kernel runs in ring 3 on Xen: every entry is U. */
	pte = (uint64_t)p2m()[gpa >> 12] << 12 | PTE_P | PTE_US | PTE_A;
	if (rights & PREVIRT_VTLB_MAP_WRITE)
		pte |= PTE_RW | PTE_D;
	if (!(rights & PREVIRT_VTLB_MAP_EXEC))
		pte |= PTE_NX;
	if (space == PREVIRT_VTLB_USER) {
		uint64_t slot = l1_entry(user_root(), (unsigned long)va, 1);

		return (!slot || mmu_update(slot, pte)) ? -1 : 0;
	}
	if (xen_update_va_mapping((unsigned long)va, pte, UVMF_INVLPG) &&
	    (!l1_entry(kernel_root(), (unsigned long)va, 1) ||
	     xen_update_va_mapping((unsigned long)va, pte, UVMF_INVLPG)))
		return -1;
	return 0;
}

static void unmap(struct previrt_vcpu *v, uint64_t va, unsigned int space)
{
	(void)v;
	if (space == PREVIRT_VTLB_USER) {
		uint64_t e = l1_entry(user_root(), (unsigned long)va, 0);

		if (e)
			mmu_update(e, 0);
		/* the user root is not loaded in kernel mode: no TLB entry to flush */
	} else {
		xen_update_va_mapping((unsigned long)va, 0, UVMF_INVLPG);
	}
}

static const struct previrt_vtlb_ops vtlb_ops = { &guest_mem, map, unmap };
static struct previrt_vtlb_entry slots[SLOTS];
static uint32_t buckets[BUCKETS];
static struct previrt_vtlb the_vtlb;
static int vtlb_ready;

static struct previrt_vtlb *vtlb(void)
{
	if (!vtlb_ready) {
		previrt_vtlb_init(&the_vtlb, &vtlb_ops, &xen_vmm.cpu, slots, SLOTS, buckets, BUCKETS);
		vtlb_ready = 1;
	}
	return &the_vtlb;
}

void xen_vtlb_paging_state(struct previrt_pw_state *s)
{
	s->cr0 = xen_vmm.cpu.cr0;
	s->cr3 = xen_vmm.cpu.cr3;
	s->cr4 = xen_vmm.cpu.cr4;
	s->efer = PV_EFER_LME | PV_EFER_LMA | PV_EFER_NXE;
	s->ac = xen_vmm.cpu.ac_flag;
}

void xen_vtlb_invlpg(unsigned long va)
{
	previrt_vtlb_invlpg(vtlb(), va);
}

/*
 * Kernel entries of user pages, which SMAP forbids while AC is clear: the
 * backend drops them when the guest clears AC or sets CR4.SMAP, so that
 * the next access walks again and faults.
 */
void xen_vtlb_flush_user_pages(void)
{
	previrt_vtlb_flush_user_pages(vtlb());
}

void xen_vtlb_flush_all(void)
{
	previrt_vtlb_flush_all(vtlb());
}

long xen_vtlb_fault(unsigned long va, unsigned long real_error, int user)
{
	struct previrt_pw_state s;
	unsigned int access = (user ? PREVIRT_PW_USER : 0) |
			      ((real_error & X86_PF_W) ? PREVIRT_PW_WRITE : 0) |
			      ((real_error & X86_PF_I) ? PREVIRT_PW_FETCH : 0);
	uint32_t error = 0;

	xen_vtlb_paging_state(&s);
	switch (previrt_vtlb_fault(vtlb(), &s, va, access, &error)) {
	case PREVIRT_VTLB_FILLED:
		return -1;
	case PREVIRT_VTLB_GUEST_FAULT:
	case PREVIRT_VTLB_NOT_MEMORY:
		return (long)error;
	default:	/* tables outside memory, or no page-table page left */
		return -2;
	}
}
