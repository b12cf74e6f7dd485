/* SPDX-License-Identifier: MIT */
/*
 * PVH entry: the only assembly the guest runs before C.
 *
 * A PVH loader (QEMU -kernel, Xen PVH) enters here in 32-bit protected mode,
 * paging off, flat segments, %ebx = physical address of struct
 * hvm_start_info. We switch to long mode with the static tables of
 * boot-tables.S, jump to the high window and call
 *	guest_main(const struct hvm_start_info *si)   (si as a high address).
 * These few privileged instructions (cr0/cr3/cr4, EFER, lgdt, the far jump,
 * segment loads) run before any runtime exists, so they stay outside the
 * previrt site table on purpose; previrt-audit lists them by name.
 */
#include "layout.h"

#define PHYS(sym)	((sym) - GUEST_VIRT_BASE)
#define CR0_PE		0x00000001
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100

	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
	.type pvh_start32, @function
pvh_start32:
	cli
	lgdt	PHYS(boot_gdt_ptr)

	movl	$PHYS(boot_pml4), %eax
	movl	%eax, %cr3
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$EFER_LME, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_PE), %eax
	movl	%eax, %cr0		/* long mode is active from here */

	ljmp	$GUEST_SEL_CODE64, $PHYS(boot_long_low)

	.code64
boot_long_low:
	/* Still at the identity address: move to the link address. */
	movabsq	$boot_long_high, %rax
	jmp	*%rax
boot_long_high:
	movl	$GUEST_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp

	movl	%ebx, %edi		/* zero-extends: < 4 GiB */
	movabsq	$GUEST_VIRT_BASE, %rax
	addq	%rax, %rdi
	call	guest_main

	/* guest_main does not return; stop here if it ever does. */
1:	cli
	hlt
	jmp	1b
	.size pvh_start32, . - pvh_start32

	/* No executable stack wanted (silences ld). */
	.section .note.GNU-stack, "", @progbits
