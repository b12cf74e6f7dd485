/* SPDX-License-Identifier: MIT */
/*
 * The text of one x86 sled and its record: what the rewriter inserts
 * before and after the instruction(s) of a site. Three shapes (abi.h):
 *
 *  PV_SLED_PAD_AFTER  the instruction, then padding up to the budget;
 *  PV_SLED_PAD_FIRST  padding, then the instruction: for an instruction
 *                     whose effect lands on the one after it (sti and
 *                     mov/pop to %ss open an interrupt shadow, popf that
 *                     sets TF traps after its successor), so that its
 *                     successor still follows it directly;
 *  PV_SLED_STI_PAIR   "sti; hlt" or "sti; mwait" as one site, padding
 *                     after the pair: a backend keeps the two atomic.
 */
#ifndef PREVIRT_ASM_SLED_H
#define PREVIRT_ASM_SLED_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum pv_sled_shape {
	PV_SLED_PAD_AFTER,
	PV_SLED_PAD_FIRST,
	PV_SLED_STI_PAIR,
};

struct pv_sled_spec {
	enum pv_sled_shape shape;
	int nopl;		/* the target CPU has the 0f 1f long NOPs */
	int arch, klass, flags;	/* record fields; the shape's flag is added here */
	const char *link_sym;	/* the code's symbol, or NULL/"": see pv_unit */
	const char *link_group;	/* its COMDAT group, or NULL/"" */
	unsigned int label;	/* top-level asm (no link_sym): a site number, for a local
				 * label at the sled to link the record to */
	/*
	 * How that label is defined. PV_LABEL_ONCE: "name:", for text gas
	 * reads once. PV_LABEL_AGAIN: ".set name, .", which gas lets a .rept
	 * body define on every pass (the record needs only the section it
	 * names, the same on every pass). PV_LABEL_EXPANSION: the same with
	 * "_\@" after the name, for a .macro body: each expansion names its
	 * own section, wherever it is expanded.
	 */
	enum { PV_LABEL_ONCE, PV_LABEL_AGAIN, PV_LABEL_EXPANSION } label_form;
};

/*
 * Text to insert before the site's first byte and after its last one; for
 * PV_SLED_PAD_FIRST 'lead' goes before the statement's own labels too, so
 * that a label on the instruction (an exception-table entry, a jump
 * target) still names the instruction, not the padding. lead is "" for
 * the other shapes.
 */
void pv_sled_text(const struct pv_sled_spec *sp, char *lead, size_t nl, char *before,
		  size_t nb, char *after, size_t na);

/* The record flag a shape sets (0 for PV_SLED_PAD_AFTER). */
int pv_sled_shape_flag(enum pv_sled_shape shape);

/*
 * Does the template spell one of the local labels the sled text uses
 * (8841, 8842, 8843: as "8841:", "8841b", "8841f", or the name alone), not
 * as part of a longer name or number? The rewriters (x86 and IA-64) then
 * annotate nothing in it and say so: a user's "jnz 8841b" would reach
 * into a sled.
 */
int pv_sled_labels_spelled(const char *t);

/*
 * Does the template write previrt_sites records of its own (a hand-written
 * sled, the form abi.h documents)? Its sleds exist already: the rewriters
 * leave it alone, since a second record over the same bytes would be
 * refused as an overlap.
 */
int pv_sled_writes_records(const char *t);

/*
 * Assembler options that put bytes of gas's own inside sleds (an lfence
 * after a load: popf, mov to %ss, an MMIO read; NOPs before an indirect
 * far jump that must not cross 32 bytes; the lfence before ret and
 * indirect branches is harmless: gas leaves far ones alone): the record would then describe a sled the
 * runtime refuses, or the padding's .if would not assemble. 'opts' is the
 * driver's COLLECT_GCC_OPTIONS. Returns the first such option found
 * (pointing into opts), or NULL.
 */
const char *pv_sled_breaking_option(const char *opts, size_t *len);

#ifdef __cplusplus
}
#endif
#endif
