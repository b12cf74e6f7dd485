/* SPDX-License-Identifier: MIT */
/*
 * The virtual TLB: a cache of the guest's translations in the hypervisor's
 * real address spaces, filled on faults and dropped where a TLB would be.
 * One algorithm for every backend; the backend only enters and removes a
 * 4 KiB mapping (previrt_vtlb_ops), in one of two spaces (the guest's
 * kernel and its CPL 3, where a backend keeps them apart).
 *
 * Fill: the guest's tables are walked (previrt/pagewalk.h); a guest fault
 * is returned with its error code; otherwise the page is entered with the
 * rights the walk allows, writable only once the guest's D bit is set (so
 * the first write comes back and sets D), not executable where the walk
 * forbids it, or where SMEP forbids a supervisor fetch from a user page.
 * Large guest pages are entered 4 KiB at a time; invlpg anywhere in one
 * drops all of its pieces.
 *
 * Invalidation: invlpg drops a page (global or not); a CR3 load drops
 * every entry but global ones; flush_all drops everything (CR4.PGE, WP or
 * paging mode changes); flush_user_pages drops supervisor entries of user
 * pages, for SMAP (AC cleared, CR4.SMAP/SMEP set).
 *
 * The cache is a fixed array of slots the backend gives (its size is the
 * backend's choice of memory), hashed by page, recycled in place: when
 * every slot is taken the oldest-filled one is evicted (its mapping
 * removed) and reused, so a guest with many processes and all memory in
 * use keeps running with a cache that holds its recent working set.
 */
#ifndef PREVIRT_VTLB_H
#define PREVIRT_VTLB_H

#include <stdint.h>
#include <previrt/pagewalk.h>

struct previrt_vcpu;

/* Address spaces of an entry. */
#define PREVIRT_VTLB_KERNEL	0u
#define PREVIRT_VTLB_USER	1u

/* Rights of an entered mapping (always readable). */
#define PREVIRT_VTLB_MAP_WRITE	1u
#define PREVIRT_VTLB_MAP_EXEC	2u

struct previrt_vtlb_ops {
	const struct previrt_pw_mem *mem;	/* the guest's tables */
	/*
	 * Enter the 4 KiB page at va as guest-physical gpa with rights in
	 * space: 0 done, 1 gpa is not guest memory (nothing entered), -1 no
	 * room in the backend (page-table pages, say).
	 */
	int (*map)(struct previrt_vcpu *v, uint64_t va, uint64_t gpa, unsigned int rights,
		   unsigned int space);
	/* Remove what map entered at va in space. */
	void (*unmap)(struct previrt_vcpu *v, uint64_t va, unsigned int space);
};

struct previrt_vtlb_entry {
	uint64_t page;		/* virtual page */
	uint32_t next;		/* hash chain (slot index), or PREVIRT_VTLB_NIL */
	uint8_t space;
	uint8_t flags;		/* PREVIRT_VTLB_E_* */
	uint8_t shift;		/* the guest leaf's size (12 for 4 KiB) */
};
#define PREVIRT_VTLB_NIL	0xffffffffu
#define PREVIRT_VTLB_E_USED	1u
#define PREVIRT_VTLB_E_GLOBAL	2u
#define PREVIRT_VTLB_E_UPAGE	4u	/* a user page entered for the supervisor */

struct previrt_vtlb {
	const struct previrt_vtlb_ops *ops;
	struct previrt_vcpu *vcpu;
	struct previrt_vtlb_entry *slots;
	uint32_t *buckets;
	unsigned int nslots, nbuckets;	/* nbuckets: a power of two */
	unsigned int used, large, hand;
	uint32_t free;			/* free-slot chain */
	unsigned long fills, evictions;	/* for benchmarks and logs */
};

/* slots[nslots] and buckets[nbuckets] are the caller's; nbuckets a power of two. */
void previrt_vtlb_init(struct previrt_vtlb *t, const struct previrt_vtlb_ops *ops,
		       struct previrt_vcpu *v, struct previrt_vtlb_entry *slots, unsigned int nslots,
		       uint32_t *buckets, unsigned int nbuckets);

enum previrt_vtlb_outcome {
	PREVIRT_VTLB_FILLED = 0,	/* entered: retry the access */
	PREVIRT_VTLB_GUEST_FAULT = 1,	/* the guest's #PF(*error) */
	PREVIRT_VTLB_NOT_MEMORY = 2,	/* mapped to no guest memory; *error a protection #PF */
	PREVIRT_VTLB_BAD = -1,		/* the guest's tables lie outside its memory */
	PREVIRT_VTLB_NO_ROOM = -2,	/* the backend could not enter it */
};

/* A real fault at va (access: PREVIRT_PW_WRITE/FETCH/USER) under state s. */
int previrt_vtlb_fault(struct previrt_vtlb *t, const struct previrt_pw_state *s, uint64_t va,
		       unsigned int access, uint32_t *error);
void previrt_vtlb_invlpg(struct previrt_vtlb *t, uint64_t va);
void previrt_vtlb_new_cr3(struct previrt_vtlb *t);
void previrt_vtlb_flush_all(struct previrt_vtlb *t);
void previrt_vtlb_flush_user_pages(struct previrt_vtlb *t);

#endif /* PREVIRT_VTLB_H */
