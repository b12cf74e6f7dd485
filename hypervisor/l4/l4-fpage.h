/* SPDX-License-Identifier: MIT */
/*
 * Flexpages: how L4 names a region to map, grant or unmap.
 *
 * Memory fpage (X.2, 32-bit): base/1024 in bits 10..31, log2 of the size in
 * bits 4..9, bit 3 reserved, access rights rwx in bits 0..2. The region is
 * 2^s bytes, aligned to its size, s >= 10 (pages are 4 KiB on ia32, so the
 * kernel only acts on s >= 12). Two special values: the nil fpage (0) and
 * the complete address space (s = 1, base 0).
 *
 * I/O fpage (ia32): port base in bits 16..31, log2 of the number of ports
 * in bits 10..15, the marker 2 in bits 4..9, rights in bits 0..3. It grants
 * the x86 I/O ports [base, base + 2^s) through the I/O permission bitmap.
 *
 * The in-place VMM needs fpages to unmap the guest's user mappings on a CR3
 * switch or an INVLPG, and the monitor needs them to hand out the guest's
 * memory: l4_fpage_cover() splits any page-aligned range into the fewest
 * fpages.
 */
#ifndef PREVIRT_L4_FPAGE_H
#define PREVIRT_L4_FPAGE_H

#include "l4-word.h"

#define L4_FPAGE_R		0x4u
#define L4_FPAGE_W		0x2u
#define L4_FPAGE_X		0x1u
#define L4_FPAGE_RWX		0x7u
#define L4_FPAGE_NIL		((l4_word_t)0)
#define L4_FPAGE_COMPLETE	((l4_word_t)(1u << 4))	/* s = 1: the whole space */

#define L4_FPAGE_MIN_LOG2	12	/* ia32 pages */
#define L4_IO_FPAGE_MARKER	2u

/*
 * The fpage of 2^log2_size bytes at base with rights; L4_FPAGE_NIL when
 * base is not aligned to the size or the size is outside [2^10, 2^32).
 */
l4_word_t l4_fpage(l4_word_t base, unsigned int log2_size, unsigned int rights);
l4_word_t l4_fpage_base(l4_word_t fpage);
unsigned int l4_fpage_log2_size(l4_word_t fpage);
unsigned int l4_fpage_rights(l4_word_t fpage);
/* Whether addr lies inside the fpage (the complete space holds everything). */
int l4_fpage_contains(l4_word_t fpage, l4_word_t addr);

/* The I/O fpage of 2^log2_ports ports at port (aligned); 0 when invalid. */
l4_word_t l4_io_fpage(unsigned int port, unsigned int log2_ports);
int l4_is_io_fpage(l4_word_t fpage);
unsigned int l4_io_fpage_port(l4_word_t fpage);
unsigned int l4_io_fpage_log2_ports(l4_word_t fpage);

/*
 * Split [start, end) (both page aligned, start < end, end 0 meaning 4 GiB)
 * into the fewest aligned fpages with rights, in address order. Writes at
 * most max of them into out; returns how many the range needs (which may
 * exceed max: the caller then covers the rest in another round), or -1
 * when the range is not page aligned or empty.
 */
int l4_fpage_cover(l4_word_t start, l4_word_t end, unsigned int rights,
		   l4_word_t *out, unsigned int max);

#endif
