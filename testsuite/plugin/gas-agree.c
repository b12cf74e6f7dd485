// SPDX-License-Identifier: MIT
/*
 * Random templates for run-gas-agree.sh: "gas-agree SEED DIR" writes
 * DIR/orig.s, a top-level template built from statements that stress the
 * splitter and prefix tracking (prefixes apart, labels, conditionals,
 * comments, quoted labels, data in code, Intel blocks), and DIR/new.s, the
 * same template after the rewriter, and prints the number of diagnostics.
 * The script then lets gas assemble both and previrt-audit judge new.o:
 * every record must start on an instruction, and anything left uncovered
 * must have drawn a diagnostic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm-rewrite.h"

static const char *const pieces[] = {
	"rep", "repne", "lock", "data16", "addr32", "rex64", "rex.W", "cs", "fs",
	".byte 0xf3", ".byte 0x66", ".byte 0x48", ".byte 0x66, 0x67", "rep/insb",
	"insb", "outsb", "insw", "pushf", "popf", "cli", "sti", "hlt", "nop", "cpuid",
	"wrmsr", "mov %eax, %ebx", "inb %dx, %al", "mov %rax, %cr3", "mov %ds, %ax",
	"mov %ax, %es", ".byte 0x0f,0x01,0xca", "1:", "2: nop", "sym%u = .", ".if 1",
	".if 0", ".else", ".endif", ".p2align 2", "# c /* x", "/ cli", "/* cli */",
	"movb $'#, %al", "\"q l%u\": nop", ".ascii \"\\xfa\"", ".balign 4, 0xfa",
	".balign 4, 0x90", ".intel_syntax noprefix", ".att_syntax prefix",
	".pushsection .fx, \"ax\"", ".popsection", "ud2", ".ascii \"xen\"", "pause",
};

static unsigned long state;

static unsigned int next(unsigned int n)
{
	state = state * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned int)(state >> 33) % n;
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	return f;
}

int main(int argc, char **argv)
{
	static const char *const seps[] = { "\n", "; ", "\n\t" };
	char t[4096];
	size_t used = 0;
	int i, n, depth = 0, pushed = 0;
	struct pv_unit u;
	struct pv_result res;
	FILE *f;

	if (argc != 3) {
		fprintf(stderr, "usage: gas-agree SEED DIR\n");
		return 2;
	}
	state = strtoul(argv[1], NULL, 0);
	used += (size_t)snprintf(t, sizeof(t), ".text\n");
	for (i = 0, n = 1 + (int)next(8); i < n; i++) {
		const char *p = pieces[next(sizeof(pieces) / sizeof(pieces[0]))];

		depth += strncmp(p, ".if", 3) == 0;
		depth -= strcmp(p, ".endif") == 0 && depth > 0;
		pushed += strncmp(p, ".pushsection", 12) == 0;
		pushed -= strcmp(p, ".popsection") == 0 && pushed > 0;
		for (; *p && used + 16 < sizeof(t); p++) {	/* "%u": a name of its own */
			if (p[0] == '%' && p[1] == 'u') {
				used += (size_t)snprintf(t + used, sizeof(t) - used, "%d", i);
				p++;
			} else {
				t[used++] = *p;
			}
		}
		t[used] = '\0';
		used += (size_t)snprintf(t + used, sizeof(t) - used, "%s", seps[next(3)]);
	}
	while (depth-- > 0)
		used += (size_t)snprintf(t + used, sizeof(t) - used, "\n.endif");
	while (pushed-- > 0)
		used += (size_t)snprintf(t + used, sizeof(t) - used, "\n.popsection");
	snprintf(t + used, sizeof(t) - used, "\n.att_syntax prefix\n");

	pv_unit_init(&u, 64);
	if (pv_rewrite(&u, t, PV_TEMPLATE_TOPLEVEL, 0, &res) < 0)
		return 2;
	f = open_in(argv[2], "orig.s");
	fputs(t, f);
	fclose(f);
	f = open_in(argv[2], "new.s");
	fputs(res.text ? res.text : t, f);
	fclose(f);
	printf("%d\n", res.ndiags);
	pv_result_free(&res);
	return 0;
}
