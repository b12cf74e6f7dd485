// SPDX-License-Identifier: MIT
/* The guest page walker (see previrt/pagewalk.h for the order of A and D). */
#include <previrt/pagewalk.h>
#include <previrt/x86-paging.h>

/* One level of the current mode. */
struct level {
	unsigned int shift;	/* index shift */
	unsigned int bits;	/* index width */
	int large_ok;		/* PS allowed here */
};

static const struct level long5[] = { { 48, 9, 0 }, { 39, 9, 0 }, { 30, 9, 1 }, { 21, 9, 1 }, { 12, 9, 0 } };
static const struct level long4[] = { { 39, 9, 0 }, { 30, 9, 1 }, { 21, 9, 1 }, { 12, 9, 0 } };
static const struct level pae[] = { { 30, 2, 0 }, { 21, 9, 1 }, { 12, 9, 0 } };
static const struct level pg32[] = { { 22, 10, 1 }, { 12, 10, 0 } };

static uint32_t fault_code(const struct previrt_pw_state *s, unsigned int access, int present,
			   int rsvd, int nx_mode)
{
	uint32_t e = 0;

	if (present)
		e |= X86_PF_P;
	if (access & PREVIRT_PW_WRITE)
		e |= X86_PF_W;
	if (access & PREVIRT_PW_USER)
		e |= X86_PF_U;
	if (rsvd)
		e |= X86_PF_RSVD | X86_PF_P;
	/* I is reported only where fetches can fault by themselves (SDM 4.7). */
	if ((access & PREVIRT_PW_FETCH) && (nx_mode || (s->cr4 & PV_CR4_SMEP)))
		e |= X86_PF_I;
	return e;
}

static int fault(struct previrt_pw_result *r, uint32_t error)
{
	r->error = error;
	return PREVIRT_PW_FAULT;
}

/* Whether the allowed rights permit access (SDM 4.6); 1 when they do. */
static int permitted(const struct previrt_pw_state *s, unsigned int access, unsigned int rights)
{
	int user_page = (rights & PREVIRT_PW_R_USER) != 0;

	if (access & PREVIRT_PW_USER) {
		if (!user_page)
			return 0;
		if ((access & PREVIRT_PW_WRITE) && !(rights & PREVIRT_PW_R_WRITE))
			return 0;
	} else {
		if ((access & PREVIRT_PW_WRITE) && !(rights & PREVIRT_PW_R_WRITE) &&
		    (s->cr0 & PV_CR0_WP))
			return 0;
		if (user_page && (access & PREVIRT_PW_FETCH) && (s->cr4 & PV_CR4_SMEP))
			return 0;
		if (user_page && !(access & PREVIRT_PW_FETCH) && (s->cr4 & PV_CR4_SMAP) && !s->ac)
			return 0;
	}
	if ((access & PREVIRT_PW_FETCH) && !(rights & PREVIRT_PW_R_EXEC))
		return 0;
	return 1;
}

int previrt_pagewalk(struct previrt_vcpu *v, const struct previrt_pw_mem *mem,
		     const struct previrt_pw_state *s, uint64_t va, unsigned int access,
		     struct previrt_pw_result *r)
{
	const struct level *lv;
	unsigned int nlevels, esize = 8, i;
	uint64_t table, addr_mask = X86_PTE_ADDR, e = 0, entry_gpa = 0;
	unsigned int rights = PREVIRT_PW_R_WRITE | PREVIRT_PW_R_USER | PREVIRT_PW_R_EXEC;
	int nx_mode = 0, peek = (access & PREVIRT_PW_PEEK) != 0;

	if (!(s->cr0 & PV_CR0_PG)) {
		r->gpa = va & 0xffffffffULL;
		r->page_shift = X86_PAGE_SHIFT;
		r->rights = rights | PREVIRT_PW_R_DIRTY;
		return PREVIRT_PW_OK;
	}
	if (s->efer & PV_EFER_LMA) {
		if (s->cr4 & PV_CR4_LA57) {
			lv = long5;
			nlevels = 5;
		} else {
			lv = long4;
			nlevels = 4;
		}
		table = s->cr3 & X86_PTE_ADDR;
		nx_mode = (s->efer & PV_EFER_NXE) != 0;
	} else if (s->cr4 & PV_CR4_PAE) {
		lv = pae;
		nlevels = 3;
		table = s->cr3 & 0xffffffe0ULL;	/* the PDPT is 32-byte aligned */
		nx_mode = (s->efer & PV_EFER_NXE) != 0;
	} else {
		lv = pg32;
		nlevels = 2;
		esize = 4;
		addr_mask = X86_PTE32_ADDR;
		table = s->cr3 & X86_PTE32_ADDR;
	}

	for (i = 0; i < nlevels; i++) {
		uint64_t idx = (va >> lv[i].shift) & ((1ULL << lv[i].bits) - 1);
		int pdpte = (lv == pae && i == 0);
		int leaf;

		entry_gpa = table + idx * esize;
		if (mem->read(v, entry_gpa, esize, &e))
			return PREVIRT_PW_BAD;
		if (!(e & X86_PTE_P))
			return peek ? PREVIRT_PW_FAULT : fault(r, fault_code(s, access, 0, 0, nx_mode));
		/* NX is a reserved bit without EFER.NXE (and always in a PDPTE). */
		if (esize == 8 && (e & X86_PTE_NX) && (!nx_mode || pdpte))
			return peek ? PREVIRT_PW_FAULT : fault(r, fault_code(s, access, 1, 1, nx_mode));
		if ((e & X86_PTE_PS) && !pdpte && !lv[i].large_ok && i != nlevels - 1)
			return peek ? PREVIRT_PW_FAULT : fault(r, fault_code(s, access, 1, 1, nx_mode));
		if (!pdpte) {
			if (!(e & X86_PTE_RW))
				rights &= ~PREVIRT_PW_R_WRITE;
			if (!(e & X86_PTE_US))
				rights &= ~PREVIRT_PW_R_USER;
			if (esize == 8 && (e & X86_PTE_NX))
				rights &= ~PREVIRT_PW_R_EXEC;
		}
		/* 32-bit paging has 4 MiB pages only with CR4.PSE (else PS is ignored). */
		leaf = (i == nlevels - 1) ||
		       (lv[i].large_ok && (e & X86_PTE_PS) && !pdpte &&
			(lv != pg32 || (s->cr4 & PV_CR4_PSE)));
		if (leaf) {
			uint64_t size = 1ULL << lv[i].shift;

			r->page_shift = lv[i].shift;
			r->gpa = ((e & addr_mask) & ~(size - 1)) | (va & (size - 1));
			break;
		}
		/* Order step 1: a non-leaf entry is used, so it is accessed. */
		if (!pdpte && !peek && !(e & X86_PTE_A) && mem->set_bits(v, entry_gpa, esize, X86_PTE_A))
			return PREVIRT_PW_BAD;
		table = e & addr_mask;
	}

	if ((e & X86_PTE_G) && (s->cr4 & PV_CR4_PGE))
		rights |= PREVIRT_PW_R_GLOBAL;
	if (!peek && !permitted(s, access, rights))
		return fault(r, fault_code(s, access, 1, 0, nx_mode));
	/* Order step 2: the leaf, once the access is allowed. */
	if (!peek) {
		uint64_t bits = X86_PTE_A | ((access & PREVIRT_PW_WRITE) ? X86_PTE_D : 0);

		if ((e & bits) != bits && mem->set_bits(v, entry_gpa, esize, bits))
			return PREVIRT_PW_BAD;
		e |= bits;
	}
	if (e & X86_PTE_D)
		rights |= PREVIRT_PW_R_DIRTY;
	r->rights = rights;
	return PREVIRT_PW_OK;
}
