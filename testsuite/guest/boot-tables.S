/* SPDX-License-Identifier: MIT */
/*
 * The page tables and GDT the boot stub switches to long mode with. They are
 * complete at link time (the linker resolves every physical address), so
 * the stub needs no loop to fill them.
 *
 * Two views of physical [0, 1 GiB), both with 2 MiB pages sharing one page
 * directory: identity (only needed for the instant between enabling
 * paging and jumping high) and the high window at GUEST_VIRT_BASE, where
 * the kernel runs.
 */
#include "layout.h"

#define PTE_P		0x001
#define PTE_RW		0x002
#define PTE_PS		0x080	/* 2 MiB page in a page directory */
#define PHYS(sym)	((sym) - GUEST_VIRT_BASE)

	.section .data.pagetables, "aw"
	.balign GUEST_PAGE_SIZE
	.globl boot_pml4
boot_pml4:
	.quad PHYS(boot_pdpt_low) + PTE_P + PTE_RW	/* 0x0000000000000000 */
	.fill 510, 8, 0
	.quad PHYS(boot_pdpt_high) + PTE_P + PTE_RW	/* 0xffffff8000000000 */

boot_pdpt_low:
	.quad PHYS(boot_pd) + PTE_P + PTE_RW
	.fill 511, 8, 0

	/* Slot 510 of the last 512 GiB is GUEST_VIRT_BASE. */
	.globl boot_pdpt_high
boot_pdpt_high:
	.fill 510, 8, 0
	.quad PHYS(boot_pd) + PTE_P + PTE_RW
	.quad 0

	.globl boot_pd
boot_pd:
	.set frame, 0
	.rept 512
	.quad frame + PTE_P + PTE_RW + PTE_PS
	.set frame, frame + 0x200000
	.endr

	.section .data, "aw"
	.balign 16
	/* null, 64-bit code, flat data: just enough to reach guest_main. */
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* GUEST_SEL_CODE64: L=1, present, DPL 0 */
	.quad 0x00cf92000000ffff	/* GUEST_SEL_DATA: 4 GiB, writable */
boot_gdt_end:

	.globl boot_gdt_ptr
boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)		/* read in 32-bit mode: physical */

	.section .bss.pagealigned, "aw", @nobits
	.balign GUEST_PAGE_SIZE
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip GUEST_BOOT_STACK_SIZE
boot_stack_top:

	/* No executable stack wanted (silences ld). */
	.section .note.GNU-stack, "", @progbits
