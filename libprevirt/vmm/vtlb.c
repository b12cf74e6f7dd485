// SPDX-License-Identifier: MIT
/* The virtual TLB's algorithm (see previrt/vtlb.h). */
#include <previrt/vtlb.h>
#include <previrt/x86-paging.h>

#define PAGE_MASK	(~(uint64_t)(X86_PAGE_SIZE - 1))

static unsigned int bucket_of(const struct previrt_vtlb *t, uint64_t page, unsigned int space)
{
	uint64_t h = ((page >> X86_PAGE_SHIFT) ^ ((uint64_t)space << 40)) * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)(h >> 32) & (t->nbuckets - 1);
}

void previrt_vtlb_init(struct previrt_vtlb *t, const struct previrt_vtlb_ops *ops,
		       struct previrt_vcpu *v, struct previrt_vtlb_entry *slots, unsigned int nslots,
		       uint32_t *buckets, unsigned int nbuckets)
{
	unsigned int i;

	t->ops = ops;
	t->vcpu = v;
	t->slots = slots;
	t->buckets = buckets;
	t->nslots = nslots;
	t->nbuckets = nbuckets;
	t->used = t->large = t->hand = 0;
	t->fills = t->evictions = 0;
	for (i = 0; i < nbuckets; i++)
		buckets[i] = PREVIRT_VTLB_NIL;
	t->free = PREVIRT_VTLB_NIL;
	for (i = nslots; i-- > 0;) {
		slots[i].flags = 0;
		slots[i].next = t->free;
		t->free = i;
	}
}

static uint32_t find(const struct previrt_vtlb *t, uint64_t page, unsigned int space)
{
	uint32_t i = t->buckets[bucket_of(t, page, space)];

	while (i != PREVIRT_VTLB_NIL && (t->slots[i].page != page || t->slots[i].space != space))
		i = t->slots[i].next;
	return i;
}

/* Remove slot i: its mapping, its chain link; back on the free chain. */
static void drop(struct previrt_vtlb *t, uint32_t i)
{
	struct previrt_vtlb_entry *e = &t->slots[i];
	uint32_t *link = &t->buckets[bucket_of(t, e->page, e->space)];

	while (*link != i)
		link = &t->slots[*link].next;
	*link = e->next;
	t->ops->unmap(t->vcpu, e->page, e->space);
	if (e->shift > X86_PAGE_SHIFT)
		t->large--;
	e->flags = 0;
	e->next = t->free;
	t->free = i;
	t->used--;
}

/* A slot for a new entry: a free one, else the next in fill order, evicted. */
static uint32_t take_slot(struct previrt_vtlb *t)
{
	uint32_t i = t->free;

	if (i == PREVIRT_VTLB_NIL) {
		/* Every slot is in use: the clock hand passes them in turn. */
		i = t->hand;
		t->hand = (t->hand + 1) % t->nslots;
		drop(t, i);
		t->evictions++;
		i = t->free;
	}
	t->free = t->slots[i].next;
	return i;
}

static void remember(struct previrt_vtlb *t, uint64_t page, unsigned int space, unsigned int flags,
		     unsigned int shift)
{
	uint32_t i = find(t, page, space), b;

	if (i != PREVIRT_VTLB_NIL) {
		/* Entered again (a write after a read): same slot, new flags. */
		if (t->slots[i].shift > X86_PAGE_SHIFT)
			t->large--;
	} else {
		i = take_slot(t);
		b = bucket_of(t, page, space);
		t->slots[i].page = page;
		t->slots[i].space = (uint8_t)space;
		t->slots[i].next = t->buckets[b];
		t->buckets[b] = i;
		t->used++;
	}
	t->slots[i].flags = (uint8_t)(flags | PREVIRT_VTLB_E_USED);
	t->slots[i].shift = (uint8_t)shift;
	if (shift > X86_PAGE_SHIFT)
		t->large++;
}

int previrt_vtlb_fault(struct previrt_vtlb *t, const struct previrt_pw_state *s, uint64_t va,
		       unsigned int access, uint32_t *error)
{
	struct previrt_pw_result r;
	unsigned int rights = 0, flags = 0, space, user = (access & PREVIRT_PW_USER) != 0;
	uint64_t page = va & PAGE_MASK;
	int rc;

	rc = previrt_pagewalk(t->vcpu, t->ops->mem, s, va, access & ~PREVIRT_PW_PEEK, &r);
	if (rc == PREVIRT_PW_BAD)
		return PREVIRT_VTLB_BAD;
	if (rc == PREVIRT_PW_FAULT) {
		*error = r.error;
		return PREVIRT_VTLB_GUEST_FAULT;
	}
	space = user ? PREVIRT_VTLB_USER : PREVIRT_VTLB_KERNEL;
	/* Without CR0.WP the supervisor may write read-only pages. */
	if (((r.rights & PREVIRT_PW_R_WRITE) || (!user && !(s->cr0 & PV_CR0_WP))) &&
	    (r.rights & PREVIRT_PW_R_DIRTY))
		rights |= PREVIRT_VTLB_MAP_WRITE;
	if (r.rights & PREVIRT_PW_R_EXEC)
		rights |= PREVIRT_VTLB_MAP_EXEC;
	if (!user && (r.rights & PREVIRT_PW_R_USER)) {
		flags |= PREVIRT_VTLB_E_UPAGE;
		if (s->cr4 & PV_CR4_SMEP)
			rights &= ~PREVIRT_VTLB_MAP_EXEC;
	}
	if (r.rights & PREVIRT_PW_R_GLOBAL)
		flags |= PREVIRT_VTLB_E_GLOBAL;

	rc = t->ops->map(t->vcpu, page, r.gpa & PAGE_MASK, rights, space);
	if (rc > 0) {
		*error = (uint32_t)(X86_PF_P | ((access & PREVIRT_PW_WRITE) ? X86_PF_W : 0) |
				    (user ? X86_PF_U : 0));
		return PREVIRT_VTLB_NOT_MEMORY;
	}
	if (rc < 0)
		return PREVIRT_VTLB_NO_ROOM;
	remember(t, page, space, flags, r.page_shift);
	t->fills++;
	return PREVIRT_VTLB_FILLED;
}

/* Drop every entry for which keep() says no. */
static void sweep(struct previrt_vtlb *t, int (*keep)(const struct previrt_vtlb_entry *, uint64_t),
		  uint64_t arg)
{
	unsigned int i;

	for (i = 0; i < t->nslots && t->used; i++)
		if ((t->slots[i].flags & PREVIRT_VTLB_E_USED) && !keep(&t->slots[i], arg))
			drop(t, i);
}

static int outside_large(const struct previrt_vtlb_entry *e, uint64_t va)
{
	return e->shift == X86_PAGE_SHIFT || (e->page >> e->shift) != (va >> e->shift);
}

void previrt_vtlb_invlpg(struct previrt_vtlb *t, uint64_t va)
{
	uint64_t page = va & PAGE_MASK;
	unsigned int space;

	for (space = PREVIRT_VTLB_KERNEL; space <= PREVIRT_VTLB_USER; space++) {
		uint32_t i = find(t, page, space);

		if (i != PREVIRT_VTLB_NIL)
			drop(t, i);
	}
	/* Pieces of a large guest page: only searched for while there are any. */
	if (t->large)
		sweep(t, outside_large, va);
}

static int is_global(const struct previrt_vtlb_entry *e, uint64_t unused)
{
	(void)unused;
	return (e->flags & PREVIRT_VTLB_E_GLOBAL) != 0;
}

static int keep_none(const struct previrt_vtlb_entry *e, uint64_t unused)
{
	(void)e;
	(void)unused;
	return 0;
}

static int not_upage(const struct previrt_vtlb_entry *e, uint64_t unused)
{
	(void)unused;
	return !(e->flags & PREVIRT_VTLB_E_UPAGE);
}

void previrt_vtlb_new_cr3(struct previrt_vtlb *t)
{
	sweep(t, is_global, 0);
}

void previrt_vtlb_flush_all(struct previrt_vtlb *t)
{
	sweep(t, keep_none, 0);
}

void previrt_vtlb_flush_user_pages(struct previrt_vtlb *t)
{
	sweep(t, not_upage, 0);
}
