/* SPDX-License-Identifier: MIT */
/*
 * Where the conformance guest lives: shared by the linker script, the boot
 * stub and the C code, so that the three cannot disagree.
 *
 * The kernel is linked high (the top 2 GiB, as -mcmodel=kernel wants) and
 * loaded at 1 MiB physical. The high window maps physical [0, 1 GiB) one to
 * one, so phys = virt - GUEST_VIRT_BASE for anything in the image. The same
 * numbers go into the Xen PV notes (VIRT_BASE, PADDR_OFFSET 0), so Xen's PV
 * loader places the image where the link put it.
 */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

#ifdef __i386__
/*
 * The i386 build (previrt-guest32): linked at 2 GiB, PAE paging, a 512 MiB
 * window. Everything the guest uses stays below 3 GiB, because that is
 * where an L4 (Pistachio ia32) task's address space ends: the same image
 * must run as an L4 task (doc/l4.md). Device mappings go just below 3 GiB
 * (paging.h).
 */
#define GUEST_VIRT_BASE		0x80000000
#define GUEST_LOAD_PHYS		0x100000
#define GUEST_WINDOW_SIZE	0x20000000	/* physical memory the high window maps */
#else
#define GUEST_VIRT_BASE		0xffffffff80000000
#define GUEST_LOAD_PHYS		0x100000
#define GUEST_WINDOW_SIZE	0x40000000	/* physical memory the high window maps */
#endif
#define GUEST_PAGE_SIZE		4096
#define GUEST_BOOT_STACK_SIZE	16384

/*
 * Selectors of the boot GDT; the C GDT keeps the same two first. In the
 * i386 build GUEST_SEL_CODE64 names the flat 32-bit code segment.
 */
#define GUEST_SEL_CODE64	0x08
#define GUEST_SEL_DATA		0x10

#endif
