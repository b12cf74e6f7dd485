/* SPDX-License-Identifier: MIT */
/*
 * The one ELF note the i386 build needs: XEN_ELFNOTE_PHYS32_ENTRY, the PVH
 * entry QEMU's -kernel looks for. The Xen PV notes of xen-notes.S are left
 * out on purpose: Xen has no 32-bit PV guests here (CONFIG_PV32 off), so
 * offering them would only invite a loader to start the wrong entry.
 * Note layout: name size, descriptor size, type, "Xen\0", descriptor.
 */
#include <xen/elfnote.h>
#include "layout.h"

	.section .note.Xen, "a", @note
	.balign 4
	.long 4				/* "Xen\0" */
	.long 2f - 1f
	.long XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.balign 4
1:	.long pvh_start32 - GUEST_VIRT_BASE
2:
	.balign 4

	/* No executable stack wanted (silences ld). */
	.section .note.GNU-stack, "", @progbits
