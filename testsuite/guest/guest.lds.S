/* SPDX-License-Identifier: MIT */
/*
 * Link map of the conformance guest (run through cpp so that it shares
 * layout.h with the code). Every section is linked at GUEST_VIRT_BASE +
 * its physical load address: QEMU's PVH loader and Xen's PV loader both
 * place segments by p_paddr, and the code runs at the high address.
 */
#include "layout.h"

#ifdef __i386__		/* previrt-guest32: cpp runs with -undef -D__i386__ */
OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
#else
OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
#endif

/*
 * e_entry: the PVH entry (QEMU ignores e_entry and takes the
 * XEN_ELFNOTE_PHYS32_ENTRY note). A Xen PV entry, once it exists, is named
 * by an XEN_ELFNOTE_ENTRY note instead; see doc/guest.md.
 */
ENTRY(pvh_start32)

PHDRS
{
	text PT_LOAD FLAGS(5);		/* r-x */
	data PT_LOAD FLAGS(6);		/* rw- */
	note PT_NOTE FLAGS(4);		/* the loaders read the notes from here */
}

SECTIONS
{
	. = GUEST_VIRT_BASE + GUEST_LOAD_PHYS;
	__image_start = .;

	.text : AT(ADDR(.text) - GUEST_VIRT_BASE) {
		*(.text.boot)		/* the PVH entry first, for a readable map */
		__text_start = .;	/* where sleds may be: the runtime checks */
		*(.text .text.*)
		__text_end = .;
	} :text

	/* Code run at CPL 3 (user-programs.S): a page of its own. */
	.user.text : AT(ADDR(.user.text) - GUEST_VIRT_BASE) ALIGN(GUEST_PAGE_SIZE) {
		*(.user.text)
	} :text

	/* Xen's notes, and the L4 entry note of the i386 build (doc/l4.md) */
	.note.Xen : AT(ADDR(.note.Xen) - GUEST_VIRT_BASE) {
		*(.note.Xen)
		*(.note.previrt)
	} :text :note

	.rodata : AT(ADDR(.rodata) - GUEST_VIRT_BASE) {
		*(.rodata .rodata.*)
	} :text

	/* The site table; the runtime walks __start/__stop_previrt_sites. */
	previrt_sites : AT(ADDR(previrt_sites) - GUEST_VIRT_BASE) {
		__start_previrt_sites = .;
		KEEP(*(previrt_sites))
		__stop_previrt_sites = .;
	} :text

	. = ALIGN(GUEST_PAGE_SIZE);
	.data : AT(ADDR(.data) - GUEST_VIRT_BASE) {
		*(.data.pagetables)	/* page aligned, filled in by the assembler */
		*(.data .data.*)
	} :data

	.bss : AT(ADDR(.bss) - GUEST_VIRT_BASE) {
		*(.bss.pagealigned)
		*(.bss .bss.* COMMON)
	} :data
	. = ALIGN(GUEST_PAGE_SIZE);
	__image_end = .;

	/DISCARD/ : {
		*(.comment) *(.note.GNU-stack) *(.note.gnu.*) *(.eh_frame*)
	}
}
