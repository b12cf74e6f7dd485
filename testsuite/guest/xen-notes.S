/* SPDX-License-Identifier: MIT */
/*
 * The ELF notes that tell loaders how to start this image. Note numbers come
 * from Xen's public header (libxen-dev). Each note: name size, descriptor
 * size, type, "Xen\0", descriptor, padded to 4 bytes.
 *
 * PHYS32_ENTRY is what QEMU's -kernel uses (PVH direct boot). The others
 * make the same file acceptable to Xen's 64-bit PV loader: it is linked at
 * GUEST_VIRT_BASE and its p_paddr are physical, hence PADDR_OFFSET 0.
 *
 * The PV entry point itself belongs to the Xen backend: a build names it
 * with GUEST_XEN_PV_ENTRY (make GUEST_XEN_PV_ENTRY=symbol), which adds the
 * ENTRY note and, through it, pulls that symbol in from the runtime
 * archive. Without it Xen would start the PVH entry in 64-bit mode and the
 * domain would crash at once, so no such build should be handed to Xen.
 */
#include <xen/elfnote.h>
#include "layout.h"

#define XEN_NOTE(type, desc_begin, desc_end)			\
	.balign 4;						\
	.long 4;		/* "Xen\0" */			\
	.long desc_end - desc_begin;				\
	.long type;						\
	.asciz "Xen";						\
	.balign 4

	.section .note.Xen, "a", @note

	XEN_NOTE(XEN_ELFNOTE_PHYS32_ENTRY, 1f, 2f)
1:	.long pvh_start32 - GUEST_VIRT_BASE
2:
	XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, 1f, 2f)
1:	.asciz "xen-3.0"
2:
	XEN_NOTE(XEN_ELFNOTE_GUEST_OS, 1f, 2f)
1:	.asciz "previrt-guest"
2:
	XEN_NOTE(XEN_ELFNOTE_LOADER, 1f, 2f)
1:	.asciz "generic"
2:
	XEN_NOTE(XEN_ELFNOTE_VIRT_BASE, 1f, 2f)
1:	.quad GUEST_VIRT_BASE
2:
	XEN_NOTE(XEN_ELFNOTE_PADDR_OFFSET, 1f, 2f)
1:	.quad 0
2:
	.ifnb GUEST_XEN_PV_ENTRY
	XEN_NOTE(XEN_ELFNOTE_ENTRY, 1f, 2f)
1:	.quad GUEST_XEN_PV_ENTRY
2:
	.endif
	.balign 4

	/* No executable stack wanted (silences ld). */
	.section .note.GNU-stack, "", @progbits
