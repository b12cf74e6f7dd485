/* SPDX-License-Identifier: MIT */
/*
 * XEN_NOTE: one ELF note for Xen's domain builder, from assembly.
 *
 *	#include <xen/elfnote.h>
 *	#include "xen-elfnote.h"
 *		.section .note.Xen, "a", @note
 *		XEN_NOTE(XEN_ELFNOTE_XEN_VERSION, .asciz "xen-3.0")
 *
 * A note is: name size, descriptor size, type, the name "Xen\0", the
 * descriptor, each part padded to 4 bytes.  The type numbers are the
 * XEN_ELFNOTE_* of Xen's public elfnote.h.  What a 64-bit PV kernel needs
 * at least: XEN_VERSION "xen-3.0", GUEST_OS (or LOADER "generic"), and
 * VIRT_BASE when it is linked away from address 0.
 */
#ifndef PREVIRT_XEN_ELFNOTE_H
#define PREVIRT_XEN_ELFNOTE_H

#ifdef __ASSEMBLER__
#define XEN_NOTE(type, desc...)		\
	.balign 4;			\
	.long 4;			\
	.long 662f - 661f;		\
	.long type;			\
	.asciz "Xen";			\
661:	desc;				\
662:	.balign 4
#endif

#endif /* PREVIRT_XEN_ELFNOTE_H */
