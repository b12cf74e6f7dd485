/* SPDX-License-Identifier: MIT */
/*
 * A list of insertions into an asm template, applied in one pass at the
 * end: the rewriters never move or change a byte of the original text, they
 * only insert labels, padding and records between its statements. Shared by
 * the x86 and IA-64 rewriters.
 */
#ifndef PREVIRT_ASM_EDITS_H
#define PREVIRT_ASM_EDITS_H

#include <stddef.h>

struct pv_edit {
	size_t at;		/* offset in the original template */
	char *text;		/* inserted before the byte at 'at' */
};

struct pv_edits {
	struct pv_edit *v;
	size_t n, cap;
	int failed;		/* out of memory: the template must stay as it was */
};

/* Queue an insertion; offsets must not decrease from one call to the next. */
void pv_edits_add(struct pv_edits *e, size_t at, const char *text);

/* The template with every insertion made (malloc), or NULL when out of memory. */
char *pv_edits_apply(const struct pv_edits *e, const char *tmpl);

void pv_edits_free(struct pv_edits *e);

#endif
