// SPDX-License-Identifier: MIT
/*
 * ia64-rewrite-file IN OUT: put a whole assembler file through the plugin's
 * IA-64 rewriter as one top-level asm template (what
 * pv_ia64_rewrite() receives from GCC), so that the tests can assemble the
 * result with ia64-linux-gnu-as without needing the cross compiler.
 * Diagnostics go to stderr as "line N: message"; the exit status is 0.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ia64-rewrite.h"

int main(int argc, char **argv)
{
	struct pv_unit unit;
	struct pv_result res;
	FILE *in, *out;
	char *text;
	long n;
	int sites;

	if (argc != 3 || !(in = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: ia64-rewrite-file IN.s OUT.s\n");
		return 2;
	}
	fseek(in, 0, SEEK_END);
	n = ftell(in);
	rewind(in);
	text = calloc(1, (size_t)n + 1);
	if (!text || fread(text, 1, (size_t)n, in) != (size_t)n)
		return 2;
	fclose(in);

	pv_unit_init(&unit, 64);
	sites = pv_ia64_rewrite(&unit, text, PV_TEMPLATE_TOPLEVEL, 0, &res);
	if (sites < 0)
		return 2;
	for (int i = 0; i < res.ndiags; i++)
		fprintf(stderr, "line %d: %s\n", res.diags[i].line, res.diags[i].msg);
	out = fopen(argv[2], "wb");
	if (!out || fputs(res.text ? res.text : text, out) < 0 || fclose(out))
		return 2;
	fprintf(stderr, "%d sites\n", sites);
	pv_result_free(&res);
	free(text);
	return 0;
}
