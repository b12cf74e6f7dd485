// SPDX-License-Identifier: MIT
/*
 * The assembler's command line, as gas reads it: options that take the
 * next word as their value must be known, or that value would be taken
 * for an input file. gcc passes few (-o, -I, --defsym, -MD); the rest of
 * gas's options are written with '=' or take no value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "as-args.h"

static int takes_value(const char *opt)
{
	static const char *const with_value[] = {
		"-o", "-I", "--defsym", "--debug-prefix-map", "-MD", "--MD",
		"--listing-lhs-width", "--listing-lhs-width2", "--listing-rhs-width",
		"--listing-cont-lines",
	};
	size_t i;

	for (i = 0; i < sizeof(with_value) / sizeof(with_value[0]); i++)
		if (strcmp(opt, with_value[i]) == 0)
			return 1;
	return 0;
}

/* "--previrt-NAME=VALUE": VALUE when opt is that option, else NULL. */
static const char *own_value(const char *opt, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(opt, "--previrt-", 10) != 0 || strncmp(opt + 10, name, n) != 0 || opt[10 + n] != '=')
		return NULL;
	return opt + 10 + n + 1;
}

int as_args_read(struct as_args *a, int argc, char **argv, char *err, unsigned long nerr)
{
	int i;
	const char *v;

	memset(a, 0, sizeof(*a));
	a->bits = 64;
	a->real_as = getenv("PREVIRT_AS");
	a->report = getenv("PREVIRT_AS_REPORT");
	if ((v = getenv("PREVIRT_AS_TARGET")) != NULL && *v) {
		a->target_set = 1;
		a->target = strcmp(v, "ia64") == 0 ? AS_TARGET_IA64 : AS_TARGET_X86;
	}
	a->argv = calloc((size_t)argc + 2, sizeof(char *));
	if (!a->argv) {
		snprintf(err, nerr, "out of memory");
		return -1;
	}
	a->argc = 1;
	for (i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (strncmp(o, "--previrt-", 10) == 0) {
			if ((v = own_value(o, "as")) != NULL) {
				a->real_as = v;
			} else if ((v = own_value(o, "report")) != NULL) {
				a->report = v;
			} else if ((v = own_value(o, "classes")) != NULL) {
				a->classes = v;
			} else if ((v = own_value(o, "no-classes")) != NULL) {
				a->no_classes = v;
			} else if ((v = own_value(o, "target")) != NULL) {
				if (strcmp(v, "ia64") != 0 && strcmp(v, "x86") != 0) {
					snprintf(err, nerr, "--previrt-target=%s: want x86 or ia64", v);
					return -1;
				}
				a->target_set = 1;
				a->target = strcmp(v, "ia64") == 0 ? AS_TARGET_IA64 : AS_TARGET_X86;
			} else if (strcmp(o, "--previrt-werror") == 0) {
				a->werror = 1;
			} else if (strcmp(o, "--previrt-no-nopl") == 0) {
				a->no_nopl = 1;
			} else if (strcmp(o, "--previrt-help") == 0) {
				a->own_help = 1;
			} else if (strcmp(o, "--previrt-version") == 0) {
				a->own_version = 1;
			} else {
				snprintf(err, nerr, "unknown option '%s'", o);
				return -1;
			}
			continue;
		}
		a->argv[a->argc++] = argv[i];
		if (strcmp(o, "--version") == 0 || strcmp(o, "--help") == 0)
			a->info_only = 1;
		if (strcmp(o, "--32") == 0)
			a->bits = 32;
		else if (strcmp(o, "--64") == 0 || strcmp(o, "--x32") == 0)
			a->bits = 64;
		if (o[0] == '-' && o[1] && takes_value(o)) {
			if (i + 1 == argc) {
				snprintf(err, nerr, "option '%s' wants a value", o);
				return -1;
			}
			a->argv[a->argc++] = argv[++i];
		} else if (o[0] != '-' || o[1] == '\0') {
			if (a->ninputs == AS_MAX_INPUTS) {
				snprintf(err, nerr, "more than %d input files", AS_MAX_INPUTS);
				return -1;
			}
			a->input_at[a->ninputs++] = a->argc - 1;
		}
	}
	a->argv[a->argc] = NULL;
	return 0;
}
