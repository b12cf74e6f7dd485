/* SPDX-License-Identifier: MIT */
/*
 * Naming places after symbols and source lines.
 *
 * "symbol+offset" uses the nearest symbol at or below a place in the same
 * section. Section symbols, file symbols and debugging symbols name
 * nothing a reader is looking for, so they are left out; among symbols
 * sharing an address a global function beats a local one, which beats a
 * plain label, so that an alias such as a hand-written asm label does not
 * hide the function a reader knows.
 *
 * Source lines come from the debug info through bfd_find_nearest_line,
 * which applies a relocatable object's DWARF relocations itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"

static int symbol_rank(const asymbol *sym)
{
	int rank = 0;

	if (sym->flags & BSF_FUNCTION)
		rank += 2;
	if (sym->flags & (BSF_GLOBAL | BSF_WEAK))
		rank += 1;
	return rank;
}

static bool names_code(const asymbol *sym)
{
	const asection *sec = sym->section;

	if (!sec || bfd_is_und_section(sec) || bfd_is_com_section(sec) ||
	    bfd_is_abs_section(sec))
		return false;
	if (sym->flags & (BSF_SECTION_SYM | BSF_FILE | BSF_DEBUGGING))
		return false;
	/* Assembler-local labels are noise when an object keeps them. */
	return sym->name && sym->name[0] && strncmp(sym->name, ".L", 2) != 0;
}

static int compare_symrefs(const void *pa, const void *pb)
{
	const struct pv_symref *a = pa, *b = pb;

	if (a->secidx != b->secidx)
		return a->secidx < b->secidx ? -1 : 1;
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return strcmp(a->name, b->name);
}

void pv_symbols_index(struct pv_image *img)
{
	size_t n = 0;

	img->symrefs = pv_xmalloc((size_t)img->n_syms * sizeof(*img->symrefs));
	for (long i = 0; i < img->n_syms; i++) {
		const asymbol *sym = img->syms[i];

		if (!names_code(sym))
			continue;
		img->symrefs[n].secidx = sym->section->index;
		img->symrefs[n].value = sym->value;
		img->symrefs[n].name = sym->name;
		img->symrefs[n].rank = symbol_rank(sym);
		n++;
	}
	qsort(img->symrefs, n, sizeof(*img->symrefs), compare_symrefs);
	img->n_symrefs = n;
}

/*
 * The symbol naming (sec, off), and off's distance from it; NULL when no
 * symbol of that section lies at or below off.
 */
const char *pv_symbol_at(const struct pv_image *img, const asection *sec,
			 bfd_vma off, bfd_vma *delta)
{
	size_t lo = 0, hi = img->n_symrefs;
	const struct pv_symref *best;

	/* Find the first entry that sorts after (sec, off, any rank). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct pv_symref *s = &img->symrefs[mid];

		if (s->secidx < sec->index ||
		    (s->secidx == sec->index && s->value <= off))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	best = &img->symrefs[lo - 1];
	if (best->secidx != sec->index)
		return NULL;
	*delta = off - best->value;
	return best->name;
}

bool pv_source_line(const struct pv_image *img, asection *sec, bfd_vma off,
		    const char **file, unsigned int *line)
{
	const char *func = NULL;

	*file = NULL;
	*line = 0;
	if (!bfd_find_nearest_line(img->abfd, sec, img->syms, off, file,
				   &func, line))
		return false;
	return *file && *line;
}
