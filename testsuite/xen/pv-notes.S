/* SPDX-License-Identifier: MIT */
/*
 * The ELF notes of our PV test kernels (pv-bench, pv-far): 64-bit PV
 * kernels entered at the Xen backend's entry, which patches their sleds and
 * calls their guest_main.
 */
#include <xen/elfnote.h>
#include "xen-elfnote.h"

	.section .note.Xen, "a", @note
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "previrt-pv-test")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0xffffffff80000000)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad xen_pv_start)

	.section .note.GNU-stack, "", @progbits
