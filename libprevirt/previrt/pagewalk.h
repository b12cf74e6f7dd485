/* SPDX-License-Identifier: MIT */
/*
 * The guest page walker: what the MMU does with a linear address under the
 * guest's own page tables, once for every backend.
 *
 * The guest's tables are plain guest-physical memory; the backend says how
 * to read an entry and how to set bits in one (previrt_pw_mem), everything
 * else is architecture: the mode (paging off, 32-bit, PAE, 4- or 5-level)
 * follows from CR0.PG, CR4.PAE/LA57 and EFER.LMA; permissions follow the
 * SDM vol. 3A 4.6 (U/S at CPL 3, R/W with CR0.WP, NX with EFER.NXE, SMEP,
 * SMAP with EFLAGS.AC); the error code is the one the CPU would push.
 *
 * Accessed and dirty bits, in this order (SDM 4.8: an entry's A is set
 * when the processor uses it for a translation, D when a write goes
 * through the leaf):
 *   1. top-down, each present non-leaf entry gets A as the walk uses it to
 *      reach the next table, even when a lower level is then not present;
 *   2. the leaf gets A, and D on a write, only once the access is allowed:
 *      a protection fault leaves the leaf as it was;
 *   3. PAE's four PDPTEs never get A (the CPU loads them with CR3).
 * testsuite/runtime/test-pagewalk.c pins this order.
 */
#ifndef PREVIRT_PAGEWALK_H
#define PREVIRT_PAGEWALK_H

#include <stdint.h>

struct previrt_vcpu;	/* the context of every backend call (previrt/vmm.h) */

/* How the walker reaches guest-physical memory: 0, or -1 outside it. */
struct previrt_pw_mem {
	/* Read the size-byte (4 or 8) entry at gpa into *val. */
	int (*read)(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val);
	/* OR bits (A, D) into the size-byte entry at gpa. */
	int (*set_bits)(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t bits);
};

/* The guest state a walk depends on. */
struct previrt_pw_state {
	uint64_t cr0, cr3, cr4, efer;
	int ac;		/* EFLAGS.AC, for SMAP */
};

/* The access (bits of the access argument). */
#define PREVIRT_PW_WRITE	1u
#define PREVIRT_PW_FETCH	2u
#define PREVIRT_PW_USER		4u	/* made at CPL 3 */
#define PREVIRT_PW_PEEK		8u	/* a lookup: no permission check, no A/D */

/* What the walk allows at va (rights of a result). */
#define PREVIRT_PW_R_WRITE	1u	/* every level writable */
#define PREVIRT_PW_R_USER	2u	/* every level user-accessible */
#define PREVIRT_PW_R_EXEC	4u	/* no level execute-disabled */
#define PREVIRT_PW_R_GLOBAL	8u	/* the leaf is global (G with CR4.PGE) */
#define PREVIRT_PW_R_DIRTY	16u	/* the leaf's D is set (after this access) */

enum previrt_pw_outcome {
	PREVIRT_PW_OK = 0,	/* r->gpa and the rest are the translation */
	PREVIRT_PW_FAULT = 1,	/* the guest takes #PF(r->error) at CR2 = va */
	PREVIRT_PW_BAD = -1,	/* an entry lies outside guest memory */
};

struct previrt_pw_result {
	uint64_t gpa;			/* guest-physical address of the byte at va */
	unsigned int page_shift;	/* the leaf's size: 12, 21, 22 or 30 */
	unsigned int rights;		/* PREVIRT_PW_R_* */
	uint32_t error;			/* #PF error code, for PREVIRT_PW_FAULT */
};

int previrt_pagewalk(struct previrt_vcpu *v, const struct previrt_pw_mem *mem,
		     const struct previrt_pw_state *s, uint64_t va, unsigned int access,
		     struct previrt_pw_result *r);

#endif /* PREVIRT_PAGEWALK_H */
