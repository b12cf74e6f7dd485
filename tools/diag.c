/* SPDX-License-Identifier: MIT */
/*
 * Errors and memory.
 *
 * Every problem with the input is an error of the image it was found in:
 * printed at once on stderr, prefixed with the program and the image name
 * so that a build log says which file is broken, and kept in the result
 * so that the JSON report carries it too. An audit never stops at the
 * first bad record: one run should show everything that is wrong.
 *
 * Running out of memory is not the input's fault and there is nothing
 * sensible to report, so it ends the program (status 2, like bad input).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

const char *pv_progname = "previrt-audit";

static void out_of_memory(void)
{
	fprintf(stderr, "%s: out of memory\n", pv_progname);
	exit(2);
}

void *pv_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *pv_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *pv_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(pv_xmalloc(n), s, n);
}

static char *vasprintf_or_die(const char *fmt, va_list ap)
{
	va_list again;
	int n;
	char *s;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		out_of_memory();
	s = pv_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *pv_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vasprintf_or_die(fmt, ap);
	va_end(ap);
	return s;
}

static void keep(struct pv_diag **list, size_t *n, const struct pv_image *img,
		 const char *kind, const char *fmt, va_list ap)
{
	char *msg = vasprintf_or_die(fmt, ap);

	fprintf(stderr, "%s: %s: %s: %s\n", pv_progname, img->name, kind, msg);
	*list = pv_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++].message = msg;
}

void pv_error(struct pv_image *img, struct pv_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(&r->diags, &r->n_diags, img, "error", fmt, ap);
	va_end(ap);
}

/* Something the reader should know that does not make the input bad. */
void pv_warning(struct pv_image *img, struct pv_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(&r->warnings, &r->n_warnings, img, "warning", fmt, ap);
	va_end(ap);
}

static void free_findings(struct pv_finding *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].text);
	free(f);
}

void pv_result_free(struct pv_result *r)
{
	free(r->sites);
	free_findings(r->uncovered, r->n_uncovered);
	free_findings(r->ignored, r->n_ignored);
	free_findings(r->native_only, r->n_native_only);
	for (size_t i = 0; i < r->n_diags; i++)
		free(r->diags[i].message);
	free(r->diags);
	for (size_t i = 0; i < r->n_warnings; i++)
		free(r->warnings[i].message);
	free(r->warnings);
	memset(r, 0, sizeof(*r));
}
