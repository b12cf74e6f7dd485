/* SPDX-License-Identifier: MIT */
/*
 * x86 paging, as the architecture defines it: page-table entry bits, the
 * levels and their large-page sizes, the #PF error code, and the control
 * bits that change how a walk goes.  One definition for the VMM core, the
 * backends and their assembly stubs (no C suffixes under __ASSEMBLER__).
 * Values from the Intel SDM vol. 3A, ch. 4 (Paging).
 */
#ifndef PREVIRT_X86_PAGING_H
#define PREVIRT_X86_PAGING_H

#ifdef __ASSEMBLER__
#define X86_PG_BIT(n)	(1 << (n))
#else
#define X86_PG_BIT(n)	(1ULL << (n))
#endif

/* Page-table entry bits (all levels; PS only above the leaf level). */
#define X86_PTE_P	X86_PG_BIT(0)	/* present */
#define X86_PTE_RW	X86_PG_BIT(1)	/* writable */
#define X86_PTE_US	X86_PG_BIT(2)	/* user accessible */
#define X86_PTE_PWT	X86_PG_BIT(3)
#define X86_PTE_PCD	X86_PG_BIT(4)
#define X86_PTE_A	X86_PG_BIT(5)	/* accessed */
#define X86_PTE_D	X86_PG_BIT(6)	/* dirty (leaf only) */
#define X86_PTE_PS	X86_PG_BIT(7)	/* large page (PDE, PDPTE); PAT in a 4 KiB PTE */
#define X86_PTE_G	X86_PG_BIT(8)	/* global (leaf only, with CR4.PGE) */
#define X86_PTE_NX	X86_PG_BIT(63)	/* execute disable (PAE/long mode, EFER.NXE) */
/* Frame address of a PAE / long-mode entry (MAXPHYADDR 52). */
#ifdef __ASSEMBLER__
#define X86_PTE_ADDR	0x000ffffffffff000
#else
#define X86_PTE_ADDR	0x000ffffffffff000ULL
#endif
/* A 32-bit (non-PAE) entry: frame in bits 31..12. */
#define X86_PTE32_ADDR	0xfffff000

/* Page sizes (shift) of the leaves each mode allows. */
#define X86_PAGE_SHIFT		12	/* 4 KiB */
#define X86_PAGE_SIZE		(1 << X86_PAGE_SHIFT)
#define X86_LARGE_SHIFT_2M	21	/* PAE and long-mode PDE */
#define X86_LARGE_SHIFT_4M	22	/* 32-bit PDE with CR4.PSE */
#define X86_LARGE_SHIFT_1G	30	/* long-mode PDPTE */

/* Levels: entries per table and the index shift of each level. */
#define X86_PT_ENTRIES		512	/* PAE and long mode (8-byte entries) */
#define X86_PT32_ENTRIES	1024	/* 32-bit paging (4-byte entries) */
#define X86_PML5_SHIFT		48
#define X86_PML4_SHIFT		39
#define X86_PDPT_SHIFT		30
#define X86_PD_SHIFT		21
#define X86_PT_SHIFT		12
#define X86_PD32_SHIFT		22

/* #PF error code bits. */
#define X86_PF_P	X86_PG_BIT(0)	/* the page was present: a protection fault */
#define X86_PF_W	X86_PG_BIT(1)	/* a write */
#define X86_PF_U	X86_PG_BIT(2)	/* at CPL 3 */
#define X86_PF_RSVD	X86_PG_BIT(3)	/* a reserved bit was set in an entry */
#define X86_PF_I	X86_PG_BIT(4)	/* an instruction fetch */
#define X86_PF_PK	X86_PG_BIT(5)
#define X86_PF_SS	X86_PG_BIT(6)

/*
 * The control bits that decide the walk (CR0.WP/PG, CR4.PSE/PAE/PGE/LA57/
 * SMEP/SMAP, EFER.LME/LMA/NXE) are x86-arch.h's PV_ names, defined once.
 */
#include <previrt/x86-arch.h>

#endif /* PREVIRT_X86_PAGING_H */
