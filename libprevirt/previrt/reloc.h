/* SPDX-License-Identifier: MIT */
/*
 * Relocated sites (reloc.c): the out-of-line copies behind the
 * native-relocate backend (hypervisor/native/native-relocate.c).
 *
 * That backend rewrites every sled the way a hypervisor backend would,
 * but what the sled now reaches is the original instruction itself, run
 * natively from a stub in a pool inside the image's text:
 *
 *	sled:	e9 <rel32 to stub>, then NOPs that never run
 *	stub:	the sled's instruction (with the sti of a pair), its
 *		rip-relative displacement moved by the distance; then
 *		e9 <rel32 back to the sled's end>
 *
 * Jumps, not calls: nothing is pushed, so a site in entry code running on
 * a user stack (or with no valid stack at all) is not disturbed, and a
 * jump changes no flag.  An sti;hlt pair is copied as a pair, so the sti
 * shadow still covers the hlt.  A pad-first sled (sti, popf, mov/pop %ss:
 * the instruction that ends the sled must be directly followed by its
 * successor, for the interrupt shadow and for a TF set by popf) cannot
 * run its instruction elsewhere without changing what the successor
 * sees; there the padding becomes the jump out and the stub is only the
 * jump back to the instruction, which stays where it was.
 *
 * An exception raised in a stub reports the stub's address.  A kernel
 * whose exception fixups or reports go by address maps it back with
 * previrt_reloc_origin() first.
 */
#ifndef PREVIRT_RELOC_H
#define PREVIRT_RELOC_H

#include <previrt/backend.h>

/*
 * The ->emit() of native-relocate: make (or find again: the patcher asks
 * twice) the site's stub and write the sled's jump to it into out.
 * 0, or -1: sled shorter than a jump, pool full, out of rel32 range, a
 * displacement that no longer fits, or a stub that did not read back.
 */
int previrt_reloc_emit(const struct previrt_sled *sled, unsigned char *out);

/*
 * The address in the original code that an address inside a stub stands
 * for (the instruction's own in its sled; the sled's end for the way
 * back); any other address unchanged.
 */
unsigned long previrt_reloc_origin(unsigned long ip);

/* Stubs made so far, and the pool bytes they use (for the summary and tests). */
unsigned int previrt_reloc_stubs_used(void);
unsigned long previrt_reloc_pool_used(void);

/*
 * The pool (reloc-pool.S): PREVIRT_RELOC_POOL bytes of int3 in .text.
 * previrt-kbuild links Linux with an empty one (64 KiB of text in every
 * kernel is too much for a test mode), and native-relocate's init refuses.
 */
extern unsigned char previrt_reloc_pool[], previrt_reloc_pool_end[];

#endif /* PREVIRT_RELOC_H */
