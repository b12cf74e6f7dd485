/* SPDX-License-Identifier: MIT */
/* Walking the guest's PAE page tables for the pager (see l4-vtlb.h). */
#include "l4-vtlb.h"
#include "l4-fpage.h"

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_US		(1ull << 2)
#define PTE_A		(1ull << 5)
#define PTE_D		(1ull << 6)
#define PTE_PS		(1ull << 7)
#define PTE_ADDR	0x000ffffffffff000ull
#define PDPTE_ADDR	0x000ffffffffff000ull

/* A 64-bit little-endian entry in guest memory; NULL when outside it. */
static unsigned char *entry_at(const struct l4_vtlb_guest *g, uint64_t gpa)
{
	if (gpa > g->size || g->size - gpa < 8)
		return 0;
	return g->mem + gpa;
}

static uint64_t load(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void store(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

static int guest_fault(const struct l4_vtlb_guest *g, struct l4_vtlb_result *r, int present,
		       unsigned int access)
{
	r->error = (present ? L4_VTLB_PF_PRESENT : 0) |
		   ((access & L4_FPAGE_W) ? L4_VTLB_PF_WRITE : 0) | (g->user ? L4_VTLB_PF_USER : 0);
	return L4_VTLB_GUEST_FAULT;
}

int l4_vtlb_translate(struct l4_vtlb_guest *g, l4_word_t va, unsigned int access,
		      struct l4_vtlb_result *r)
{
	unsigned char *pdpte, *pde, *pte;
	uint64_t e, gpa;
	int writable, user_ok;

	if (!(g->cr0 & L4_VTLB_CR0_PG)) {
		/* Paging off: the address is physical, everything is allowed. */
		if ((uint64_t)va >= g->size)
			return L4_VTLB_BAD;
		r->gpa = va & ~0xfffu;
		r->rights = L4_FPAGE_RWX;
		return L4_VTLB_MAP;
	}
	if (!(g->cr4 & L4_VTLB_CR4_PAE))
		return L4_VTLB_BAD;

	/* PDPT: 32-byte aligned, bits 30..31 pick one of four entries (only P). */
	pdpte = entry_at(g, (g->cr3 & ~0x1full) + 8 * (va >> 30));
	if (!pdpte)
		return L4_VTLB_BAD;
	e = load(pdpte);
	if (!(e & PTE_P))
		return guest_fault(g, r, 0, access);

	pde = entry_at(g, (e & PDPTE_ADDR) + 8 * ((va >> 21) & 511));
	if (!pde)
		return L4_VTLB_BAD;
	e = load(pde);
	if (!(e & PTE_P))
		return guest_fault(g, r, 0, access);
	writable = (e & PTE_RW) != 0;
	user_ok = (e & PTE_US) != 0;

	if (e & PTE_PS) {
		pte = pde;		/* a 2 MiB page: the PDE is the leaf */
		gpa = (e & PTE_ADDR & ~0x1fffffull) + (va & 0x1ff000u);
	} else {
		/* The PDE is used (A) whatever the PTE says, as on the CPU. */
		store(pde, e | PTE_A);
		pte = entry_at(g, (e & PTE_ADDR) + 8 * ((va >> 12) & 511));
		if (!pte)
			return L4_VTLB_BAD;
		e = load(pte);
		if (!(e & PTE_P))
			return guest_fault(g, r, 0, access);
		writable = writable && (e & PTE_RW);
		user_ok = user_ok && (e & PTE_US);
		gpa = e & PTE_ADDR;
	}

	if (g->user && !user_ok)
		return guest_fault(g, r, 1, access);
	/* CPL 0: read-only only binds under CR0.WP. */
	if (!g->user && !(g->cr0 & L4_VTLB_CR0_WP))
		writable = 1;
	if ((access & L4_FPAGE_W) && !writable)
		return guest_fault(g, r, 1, access);
	if (gpa >= g->size) {
		r->gpa = gpa;	/* the guest's device mapping: its accesses are emulated */
		return L4_VTLB_DEVICE;
	}

	e |= PTE_A;
	if (access & L4_FPAGE_W)
		e |= PTE_D;
	store(pte, e);
	r->gpa = gpa;
	/* Writable only once dirty: the first write must come back here. */
	r->rights = L4_FPAGE_R | L4_FPAGE_X | (writable && (e & PTE_D) ? L4_FPAGE_W : 0);
	return L4_VTLB_MAP;
}
