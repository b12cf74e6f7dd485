/* SPDX-License-Identifier: MIT */
/* pv-bench's ELF notes: a 64-bit PV kernel entered at the Xen backend's entry. */
#include <xen/elfnote.h>
#include "xen-elfnote.h"

	.section .note.Xen, "a", @note
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, .asciz "previrt-pv-bench")
	XEN_NOTE(XEN_ELFNOTE_LOADER, .asciz "generic")
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, .quad 0xffffffff80000000)
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad 0)
	XEN_NOTE(XEN_ELFNOTE_ENTRY, .quad xen_pv_start)

	.section .note.GNU-stack, "", @progbits
