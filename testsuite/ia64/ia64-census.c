// SPDX-License-Identifier: MIT
/*
 * ia64-census: read "ia64-linux-gnu-objdump -d --no-show-raw-insn" on stdin
 * and print every instruction the plugin's IA-64 table calls sensitive, as
 *
 *	BUNDLE SLOT CLASS FUNCTION TEXT
 *
 * BUNDLE in the form ia64-image prints it, so that the two can be joined:
 * an instruction is covered when a previrt_sites record names its bundle
 * and slot. objdump prints one line per slot ("[MII]" opens a bundle) and
 * one line for the two slots of a long instruction; function headers
 * ("a000000100000000 <name>:") give the FUNCTION column.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "previrt/abi.h"
#include "ia64-classify.h"

int main(void)
{
	char line[512], func[128] = "?", text[256];
	unsigned long long bundle = 0;
	int slot = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *p = line, *tab, *end;
		unsigned long long addr;
		struct pv_ia64_insn in;
		size_t len;

		line[strcspn(line, "\n")] = '\0';
		while (*p == ' ')
			p++;
		addr = strtoull(p, &end, 16);
		if (end == p)
			continue;
		if (end[0] == ' ' && end[1] == '<') {	/* "ADDR <function>:" */
			len = strcspn(end + 2, ">");
			if (len >= sizeof(func))
				len = sizeof(func) - 1;
			memcpy(func, end + 2, len);
			func[len] = '\0';
			continue;
		}
		if (*end != ':' || !(tab = strchr(end, '\t')))
			continue;
		p = tab + 1;
		if (*p == '[') {		/* "[MII]": a new bundle, slot 0 */
			bundle = addr;
			slot = 0;
			p = strchr(p, ']');
			if (!p)
				continue;
			p++;
		} else {
			slot++;
		}
		while (*p == ' ')
			p++;
		len = strlen(p);
		while (len && (p[len - 1] == ';' || p[len - 1] == ' '))
			len--;
		if (len >= sizeof(text))
			len = sizeof(text) - 1;
		memcpy(text, p, len);
		text[len] = '\0';
		if (!text[0] || pv_ia64_classify(text, &in) != PV_IA64_SENSITIVE)
			continue;
		printf("%llx %d %s %s %s\n", bundle, slot, previrt_class_name((unsigned int)in.klass),
		       func, text);
	}
	return 0;
}
