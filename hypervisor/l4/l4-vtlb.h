/* SPDX-License-Identifier: MIT */
/*
 * The monitor's half of the virtual TLB: page tables become map/unmap.
 *
 * The guest's L4 task has no page tables of its own that the CPU reads;
 * every page fault in it goes to the monitor (its pager). The monitor
 * walks the guest's own page tables (i386 PAE, as previrt-guest32 builds
 * them; or paging off) in the guest's "physical" memory, and either maps
 * the page (a map item in the fault reply, rights as the guest's tables
 * allow) or reflects a #PF with the error code the CPU would have given.
 * Like the CPU it sets the accessed bit in every entry it used and the
 * dirty bit on a write; a writable page is first mapped read-only until
 * the first write, so that dirty bits stay exact.
 *
 * The in-place VMM flushes the mappings on CR3 loads and INVLPG
 * (l4-backend.c); this walk is what brings them back.
 *
 * At the guest's CPL 0 the U bit is not required, and read-only pages are
 * writable unless CR0.WP is set; at its CPL 3 (user, nonzero) every level
 * must allow user access and read-only binds, as on the CPU.
 */
#ifndef PREVIRT_L4_VTLB_H
#define PREVIRT_L4_VTLB_H

#include "l4-word.h"

/* The guest as the monitor sees it. */
struct l4_vtlb_guest {
	unsigned char *mem;	/* guest-physical 0 in the monitor's space */
	uint64_t size;		/* bytes of guest-physical memory */
	uint64_t cr3;
	unsigned long cr0, cr4;
	int user;		/* the access is made at the guest's CPL 3 */
};

#define L4_VTLB_CR0_WP	(1ul << 16)
#define L4_VTLB_CR0_PG	(1ul << 31)
#define L4_VTLB_CR4_PAE	(1ul << 5)

/* Page-fault error code bits, as the CPU reports them. */
#define L4_VTLB_PF_PRESENT	1u
#define L4_VTLB_PF_WRITE	2u
#define L4_VTLB_PF_USER		4u

enum l4_vtlb_outcome {
	L4_VTLB_MAP = 0,	/* map gpa with rights */
	L4_VTLB_GUEST_FAULT,	/* deliver #PF(error) at cr2 = the address */
	L4_VTLB_DEVICE,		/* mapped, but beyond guest memory: gpa is a device's */
	L4_VTLB_BAD = -1,	/* the guest's tables point outside its memory, or no PAE */
};

struct l4_vtlb_result {
	uint64_t gpa;		/* guest-physical page (4 KiB aligned) */
	unsigned int rights;	/* L4_FPAGE_R/W/X */
	uint32_t error;		/* for L4_VTLB_GUEST_FAULT */
};

/* Translate a fault at va with access (L4_FPAGE_R/W/X bits). */
int l4_vtlb_translate(struct l4_vtlb_guest *g, l4_word_t va, unsigned int access,
		      struct l4_vtlb_result *r);

#endif
