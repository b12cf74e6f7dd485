/* SPDX-License-Identifier: MIT */
/*
 * PVH entry of the i386 build (previrt-guest32), and the static tables it
 * starts with: the counterpart of boot32.S and boot-tables.S.
 *
 * A PVH loader enters in 32-bit protected mode, paging off, flat segments,
 * %ebx = physical address of struct hvm_start_info. We enable PAE paging
 * with one page directory of 2 MiB pages mapping physical [0, 512 MiB)
 * twice, through PDPT entry 0 (identity: the instant between enabling
 * paging and the far jump) and entry 2 (the high window at
 * GUEST_VIRT_BASE), jump high, and call
 *	guest_main(const struct hvm_start_info *si)   (si as a high address).
 * Like boot32.S, these privileged instructions run before any runtime
 * exists and stay outside the site table on purpose.
 */
#include "layout.h"

#define PHYS(sym)	((sym) - GUEST_VIRT_BASE)
#define CR0_PE		0x00000001
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define PTE_P		0x001
#define PTE_RW		0x002
#define PTE_PS		0x080	/* 2 MiB page in a PAE page directory */
#define WINDOW_PDES	(GUEST_WINDOW_SIZE / 0x200000)

	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
	.type pvh_start32, @function
pvh_start32:
	cli
	lgdt	PHYS(boot_gdt_ptr)

	movl	$PHYS(boot_pdpt), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0		/* paging on, still at the identity address */

	ljmp	$GUEST_SEL_CODE64, $boot_high
boot_high:
	movl	$GUEST_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movl	$boot_stack_top, %esp
	xorl	%ebp, %ebp

	leal	GUEST_VIRT_BASE(%ebx), %eax
	pushl	%eax
	call	guest_main

	/* guest_main does not return; stop here if it ever does. */
1:	cli
	hlt
	jmp	1b
	.size pvh_start32, . - pvh_start32

	.section .data.pagetables, "aw"
	.balign GUEST_PAGE_SIZE
	/* PAE's top level: four entries, only P may be set in them. */
	.globl boot_pdpt
boot_pdpt:
	/* 64-bit entries as two longs: ELF32 has no 64-bit relocation. */
	.long PHYS(boot_pd) + PTE_P, 0		/* 0x00000000: identity */
	.quad 0
	.long PHYS(boot_pd) + PTE_P, 0		/* 0x80000000: GUEST_VIRT_BASE */
	.quad 0
	.fill 508, 8, 0

	/* The window's 2 MiB pages; the rest is left for device mappings. */
	.balign GUEST_PAGE_SIZE
boot_pd:
	.set frame, 0
	.rept WINDOW_PDES
	.quad frame + PTE_P + PTE_RW + PTE_PS
	.set frame, frame + 0x200000
	.endr
	.fill 512 - WINDOW_PDES, 8, 0

	.section .data, "aw"
	.balign 16
	/* null, flat 32-bit code, flat data: just enough to reach guest_main. */
boot_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* GUEST_SEL_CODE64: 32-bit, 4 GiB, DPL 0 */
	.quad 0x00cf92000000ffff	/* GUEST_SEL_DATA: 4 GiB, writable */
boot_gdt_end:

boot_gdt_ptr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)		/* read with paging off: physical */

	.section .bss.pagealigned, "aw", @nobits
	.balign GUEST_PAGE_SIZE
boot_stack_bottom:
	.skip GUEST_BOOT_STACK_SIZE
boot_stack_top:

	/* No executable stack wanted (silences ld). */
	.section .note.GNU-stack, "", @progbits
