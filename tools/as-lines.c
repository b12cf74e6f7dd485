// SPDX-License-Identifier: MIT
/*
 * cpp's line markers: '# 12 "arch/x86/entry/entry_64.S" 2' says that the
 * next line is line 12 of that file ("#line 12" too). gas takes a line
 * for a marker only when '#' starts it, so that is all we read.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "as-lines.h"

/* A marker at p (the start of a line)? Its line and file; 1 if it is one. */
static int marker(const char *p, long *line, char *file, size_t n)
{
	char *end;
	long v;
	size_t k = 0;

	if (*p++ != '#')
		return 0;
	if (strncmp(p, "line", 4) == 0)
		p += 4;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	v = strtol(p, &end, 10);
	p = end;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '"') {
		for (p++; *p && *p != '"' && *p != '\n'; p++)
			if (k + 1 < n)
				file[k++] = *p == '\\' && p[1] ? *++p : *p;
		file[k] = '\0';
	}
	*line = v;
	return 1;
}

void as_source_line(const char *text, size_t at, const char *name, char *file, size_t n,
		    long *line)
{
	const char *p = text, *stop = text + at;
	long cur = 1;

	snprintf(file, n, "%s", name);
	while (p < stop) {
		const char *eol = strchr(p, '\n');
		long m;

		if (!eol || eol >= stop)
			break;
		if (marker(p, &m, file, n))
			cur = m;	/* for the line after the marker */
		else
			cur++;
		p = eol + 1;
	}
	*line = cur;
}
