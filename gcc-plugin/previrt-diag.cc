// SPDX-License-Identifier: MIT
/*
 * What the plugin says about the asm it rewrote, the GCC side of it.
 *
 * What previrt says about code it leaves as it was (a forced-emulation
 * prefix, .code16, another section, bytes it cannot read) does not make
 * the build wrong, so it must not break one built with -Werror: it is a
 * note, grouped to one per kind and unit with a count, at the first place
 * it occurred; the report lists every one with its line.
 * -fplugin-arg-previrt-werror makes each group an error. What previrt
 * refuses (PV_DIAG_REFUSED) is an error at once, every time.
 */
#include "gcc-compat.h"

#include <stdio.h>
#include <string.h>

#include "asm-rewrite.h"
#include "previrt-diag.h"

static bool werror;
static bool keep_lines;

void pv_diag_set_werror(bool on)
{
	werror = on;
}

void pv_diag_keep_lines(bool on)
{
	keep_lines = on;
}

struct diag_group {
	unsigned int count;
	unsigned int order;	/* groups are shown in the order they began */
	location_t loc;		/* of the first; UNKNOWN_LOCATION for top-level asm */
	int line;		/* its line within the template, 0 if one line */
	char msg[160];
};
static struct diag_group diag_groups[PV_DIAG_KINDS];
static unsigned int diag_groups_begun;
static struct diag_line {
	struct diag_line *next;
	char *text;
} *diag_lines, **diag_lines_tail = &diag_lines;

/* "FILE:LINE: " of a statement, or "FILE: top-level " when there is none. */
static void diag_where(location_t loc, char *buf, size_t n)
{
	if (loc == UNKNOWN_LOCATION) {
		snprintf(buf, n, "%s: top-level ", main_input_filename);
	} else {
		expanded_location x = expand_location(loc);

		snprintf(buf, n, "%s:%d: ", x.file ? x.file : main_input_filename, x.line);
	}
}

static void keep_for_report(location_t loc, const struct pv_diag *d, bool multiline)
{
	struct diag_line *l;
	char w[256];

	if (!keep_lines)
		return;
	diag_where(loc, w, sizeof(w));
	l = XNEW(struct diag_line);
	l->next = NULL;
	if (multiline)
		l->text = xasprintf("previrt: %sasm line %d: %s: %s", w, d->line,
				    pv_diag_kind_name(d->kind), d->msg);
	else
		l->text = xasprintf("previrt: %s%s: %s", w, pv_diag_kind_name(d->kind), d->msg);
	*diag_lines_tail = l;
	diag_lines_tail = &l->next;
}

static void report_refusal(location_t loc, const struct pv_diag *d, bool multiline)
{
	if (loc == UNKNOWN_LOCATION)
		error("previrt: %s: top-level %<asm%> line %d: %s", main_input_filename,
		      d->line, d->msg);
	else if (multiline)
		error_at(loc, "previrt: %<asm%> line %d: %s", d->line, d->msg);
	else
		error_at(loc, "previrt: %s", d->msg);
}

void pv_diag_asm(location_t loc, const struct pv_result *res, bool multiline)
{
	unsigned int shown = 0;

	for (int i = 0; i < res->ndiags; i++) {
		const struct pv_diag *d = &res->diags[i];
		struct diag_group *g = &diag_groups[d->kind];

		keep_for_report(loc, d, multiline);
		if (pv_diag_is_refusal(d->kind)) {
			report_refusal(loc, d, multiline);
			continue;
		}
		if (g->count == 0) {
			g->order = diag_groups_begun++;
			g->loc = loc;
			g->line = multiline || loc == UNKNOWN_LOCATION ? d->line : 0;
			snprintf(g->msg, sizeof(g->msg), "%s", d->msg);
		}
		g->count++;
	}
	/* An asm with more than PV_MAX_DIAGS: the rest are counted, not kept. */
	for (int k = 0; k < PV_DIAG_KINDS; k++) {
		struct diag_group *g = &diag_groups[k];
		unsigned int kept = 0;

		for (int i = 0; i < res->ndiags; i++)
			kept += res->diags[i].kind == k;
		shown += kept;
		if (res->per_kind[k] <= kept)
			continue;
		if (pv_diag_is_refusal((enum pv_diag_kind)k)) {
			error_at(loc, "previrt: %u more refusals in this %<asm%>",
				 res->per_kind[k] - kept);
			continue;
		}
		if (g->count == 0) {
			g->order = diag_groups_begun++;
			g->loc = loc;
			g->line = 0;
			snprintf(g->msg, sizeof(g->msg), "%s", "(in one asm past the first diagnostics)");
		}
		g->count += res->per_kind[k] - kept;
	}
	if (keep_lines && res->ndiags == PV_MAX_DIAGS) {
		struct pv_diag more;
		unsigned int total = 0;

		for (int k = 0; k < PV_DIAG_KINDS; k++)
			total += res->per_kind[k];
		if (total > shown) {
			memset(&more, 0, sizeof(more));
			more.kind = res->diags[PV_MAX_DIAGS - 1].kind;
			more.line = res->diags[PV_MAX_DIAGS - 1].line;
			snprintf(more.msg, sizeof(more.msg), "and %u more in this asm, not listed",
				 total - shown);
			keep_for_report(loc, &more, multiline);
		}
	}
}

/* One note (or, with werror, error) per kind of diagnostic in the unit. */
void pv_diag_flush(void)
{
	for (unsigned int n = 0; n < diag_groups_begun; n++) {
		struct diag_group *g = NULL;
		char more[160] = "", head[320] = "";
		int k;

		for (k = 0; k < PV_DIAG_KINDS && !g; k++)
			if (diag_groups[k].count && diag_groups[k].order == n)
				g = &diag_groups[k];
		if (!g)
			continue;
		k--;
		if (g->count > 1)
			snprintf(more, sizeof(more), " [%s: %u in this unit, the first shown; "
				 "-fplugin-arg-previrt-report lists each]",
				 pv_diag_kind_name((enum pv_diag_kind)k), g->count);
		else
			snprintf(more, sizeof(more), " [%s]", pv_diag_kind_name((enum pv_diag_kind)k));
		if (g->loc == UNKNOWN_LOCATION)
			snprintf(head, sizeof(head), "%s: top-level asm line %d: ",
				 main_input_filename, g->line);
		else if (g->line)
			snprintf(head, sizeof(head), "asm line %d: ", g->line);
		if (werror)
			error_at(g->loc, "previrt: %s%s%s", head, g->msg, more);
		else
			inform(g->loc, "previrt: %s%s%s", head, g->msg, more);
		g->count = 0;
	}
	diag_groups_begun = 0;
}

void pv_diag_write_report(FILE *f)
{
	for (struct diag_line *l = diag_lines, *next; l; l = next) {
		next = l->next;
		fprintf(f, "%s\n", l->text);
		free(l->text);
		XDELETE(l);
	}
	diag_lines = NULL;
	diag_lines_tail = &diag_lines;
}
