// SPDX-License-Identifier: MIT
/* Insertions into an asm template: see asm-edits.h. */
#include <stdlib.h>
#include <string.h>

#include "asm-edits.h"

void pv_edits_add(struct pv_edits *e, size_t at, const char *text)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 8;
		struct pv_edit *v = realloc(e->v, cap * sizeof(*v));

		if (!v) {
			e->failed = 1;
			return;
		}
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n].at = at;
	e->v[e->n].text = strdup(text);
	if (!e->v[e->n].text) {
		e->failed = 1;
		return;
	}
	e->n++;
}

char *pv_edits_apply(const struct pv_edits *e, const char *tmpl)
{
	size_t len = strlen(tmpl), total = len + 1, i, pos = 0;
	char *out, *o;

	for (i = 0; i < e->n; i++)
		total += strlen(e->v[i].text);
	o = out = malloc(total);
	if (!out)
		return NULL;
	for (i = 0; i < e->n; i++) {
		size_t l = strlen(e->v[i].text);

		memcpy(o, tmpl + pos, e->v[i].at - pos);
		o += e->v[i].at - pos;
		pos = e->v[i].at;
		memcpy(o, e->v[i].text, l);
		o += l;
	}
	memcpy(o, tmpl + pos, len - pos + 1);
	return out;
}

void pv_edits_free(struct pv_edits *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		free(e->v[i].text);
	free(e->v);
	memset(e, 0, sizeof(*e));
}
