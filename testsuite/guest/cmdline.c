/* SPDX-License-Identifier: MIT */
/* Finding key=value words in the command line (see cmdline.h). */
#include "cmdline.h"

/* Whether s starts with prefix; *rest is set to what follows it. */
static int starts_with(const char *s, const char *prefix, const char **rest)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return 0;
	*rest = s;
	return 1;
}

int cmdline_has(const char *cmdline, const char *key, const char *value)
{
	for (const char *p = cmdline; *p; p++) {
		const char *v, *end;

		if (p != cmdline && p[-1] != ' ')
			continue;			/* only at the start of a word */
		if (starts_with(p, key, &v) && *v == '=' && starts_with(v + 1, value, &end) &&
		    (*end == ' ' || *end == '\0'))
			return 1;
	}
	return 0;
}
