// SPDX-License-Identifier: MIT
/* Reading gas statement text: see asm-text.h. */
#include <ctype.h>
#include <string.h>

#include "asm-text.h"

static int label_char(int c, const char *extra)
{
	return isalnum(c) || c == '_' || c == '.' || c == '$' ||
	       (c != '\0' && extra && strchr(extra, c));
}

size_t pv_asm_skip_labels(const char *t, size_t a, size_t b, const char *extra)
{
	for (;;) {
		size_t i = a, start;

		while (i < b && isspace((unsigned char)t[i]))
			i++;
		start = i;
		if (i < b && t[i] == '"') {
			/* A quoted symbol name ("a b;c":), as gas allows. */
			i = pv_asm_string_end(t, i, b);
			i = i > start && t[i] == '"' ? i + 1 : start;
		}
		while (i < b && (label_char((unsigned char)t[i], extra) ||
				 (t[i] == '%' && i + 1 < b && t[i + 1] == '=')))
			i += t[i] == '%' ? 2 : 1;
		if (i == start || i >= b || t[i] != ':' ||
		    (i + 1 < b && t[i + 1] == ':'))
			return start;
		a = i + 1;
	}
}

void pv_asm_section_name(const char *ops, char *name, size_t n)
{
	size_t len = 0;

	while (isspace((unsigned char)*ops))
		ops++;
	if (*ops == '"')
		ops++;
	while (*ops && *ops != ',' && *ops != '"' && !isspace((unsigned char)*ops) &&
	       len + 1 < n)
		name[len++] = *ops++;
	name[len] = '\0';
}

void pv_asm_section_flags(const char *ops, char *flags, size_t n)
{
	const char *c = strchr(ops, ','), *q;
	size_t len;

	flags[0] = '\0';
	if (!c || !(c = strchr(c, '"')) || !(q = strchr(c + 1, '"')))
		return;
	len = (size_t)(q - c - 1);
	if (len >= n)
		len = n - 1;
	memcpy(flags, c + 1, len);
	flags[len] = '\0';
}

size_t pv_asm_string_end(const char *t, size_t pos, size_t len)
{
	for (pos++; pos < len && t[pos] != '"'; pos++)
		if (t[pos] == '\\' && pos + 1 < len)
			pos++;
	return pos < len ? pos : len - 1;
}
