// SPDX-License-Identifier: MIT
/*
 * --native-only lists. A line is
 *
 *	symbol GLOB REASON...	an instruction in a symbol matching GLOB
 *	file GLOB REASON...	every instruction of an image (an archive
 *				member "lib.a(x.o)" too) whose name matches GLOB
 *
 * '#' starts a comment line. The list says which code runs before previrt
 * patches or never runs in the guest (previrt's own runtime, which is
 * built without the plugin so that the patcher never patches itself); the
 * report names each such instruction with its entry's reason, and the
 * verdict does not count it as uncovered.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

int pv_native_read(struct pv_options *opt, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	unsigned int no = 0;

	if (!f) {
		fprintf(stderr, "%s: %s: cannot open the native-only list\n", pv_progname, path);
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char kind[16], pattern[512];
		int used = 0;
		struct pv_native *e;
		char *reason;

		no++;
		line[strcspn(line, "\n")] = '\0';
		if (line[strspn(line, " \t")] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		if (sscanf(line, "%15s %511s %n", kind, pattern, &used) < 2 || !line[used] ||
		    (strcmp(kind, "symbol") != 0 && strcmp(kind, "file") != 0)) {
			fprintf(stderr, "%s: %s:%u: want 'symbol GLOB REASON' or 'file GLOB REASON'\n",
				pv_progname, path, no);
			fclose(f);
			return -1;
		}
		reason = line + used;
		opt->native = pv_xrealloc(opt->native, (opt->n_native + 1) * sizeof(*opt->native));
		e = &opt->native[opt->n_native++];
		e->kind = strcmp(kind, "symbol") == 0 ? PV_NATIVE_SYMBOL : PV_NATIVE_FILE;
		e->pattern = pv_xstrdup(pattern);
		e->reason = pv_xstrdup(reason);
		e->hits = 0;
	}
	fclose(f);
	return 0;
}

struct pv_native *pv_native_match(const struct pv_options *opt, const struct pv_image *img,
				  const asection *sec, bfd_vma off)
{
	const char *sym = NULL;
	bfd_vma delta;

	for (size_t i = 0; i < opt->n_native; i++) {
		struct pv_native *e = &opt->native[i];

		if (e->kind == PV_NATIVE_FILE && fnmatch(e->pattern, img->name, 0) == 0)
			return e;
		if (e->kind == PV_NATIVE_SYMBOL) {
			if (!sym)
				sym = pv_symbol_at(img, sec, off, &delta);
			if (sym && fnmatch(e->pattern, sym, 0) == 0)
				return e;
		}
	}
	return NULL;
}
