/* SPDX-License-Identifier: MIT */
/*
 * pv-hello: the smallest 64-bit PV kernel of ours, to prove the Xen
 * backend's primitives on their own (no plugin, no runtime, no guest).
 *
 * Xen enters at e_entry in long mode, ring 3, events masked, %rsi = the
 * virtual address of start_info.  We switch to a stack of our own and
 * call pv_hello_main(start_info).
 */
#include <xen/elfnote.h>
#include "xen-elfnote.h"

	.section .note.Xen, "a", @note
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "previrt-pv-hello")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0xffffffff80000000)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad pv_hello_start)

	.text
	.globl	pv_hello_start
	.type	pv_hello_start, @function
pv_hello_start:
	leaq	pv_hello_stack_top(%rip), %rsp
	movq	%rsi, %rdi
	call	pv_hello_main
1:	jmp	1b		/* pv_hello_main does not return */
	.size	pv_hello_start, . - pv_hello_start

	.bss
	.balign	16
	.skip	16384
pv_hello_stack_top:

	.section .note.GNU-stack, "", @progbits
