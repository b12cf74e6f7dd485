// SPDX-License-Identifier: MIT
/*
 * previrt-as: the assembler side of the plugin. It reads what the
 * assembler would read (a .s file, or a .S file as gcc preprocessed it),
 * runs libpvasm's rewriter over it as one top-level asm (the same tables,
 * records and warnings as the plugin's), and runs the real assembler with
 * the original arguments on the result.
 *
 *   previrt-as [--previrt-OPTION...] AS-ARGUMENTS...
 *
 * gcc reaches it as 'as' with -B<dir>/ when <dir>/as is previrt-as (the
 * installed libexec directory holds that link), so Kbuild's KAFLAGS brings
 * every .S of a kernel here without editing a file of the tree. Options:
 *   --previrt-as=PATH        the real assembler ($PREVIRT_AS; default: the
 *                            first 'as' on $PATH that is not previrt-as)
 *   --previrt-target=x86|ia64 ($PREVIRT_AS_TARGET; default: ia64 when the
 *                            real assembler's name says so, else x86)
 *   --previrt-report=FILE    append the plugin's report line ($PREVIRT_AS_REPORT)
 *   --previrt-classes=LIST, --previrt-no-classes=LIST, --previrt-no-nopl,
 *   --previrt-werror         as the plugin's arguments of those names
 * Every other argument goes to the real assembler unchanged, in order; the
 * input files are replaced by one rewritten copy. The sled text stays on
 * its instruction's line (x86), so gas's messages and line tables keep the
 * source's line numbers.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "asm-rewrite.h"
#include "ia64-rewrite.h"
#include "as-args.h"
#include "as-lines.h"

static const char own_help[] =
"Usage: previrt-as [--previrt-OPTION]... AS-ARGUMENTS...\n"
"Rewrite the assembler's input as the previrt plugin rewrites inline asm\n"
"(a sled and a record for every sensitive instruction), then run the real\n"
"assembler with the other arguments, in order, on the result.\n"
"\n"
"      --previrt-as=PATH        the real assembler (default: $PREVIRT_AS, else\n"
"                               the first 'as' on PATH that is not previrt-as)\n"
"      --previrt-target=TARGET  x86 or ia64 (default: $PREVIRT_AS_TARGET, else\n"
"                               ia64 when the real assembler's name says so)\n"
"      --previrt-report=FILE    append the plugin's report line to FILE\n"
"                               (default: $PREVIRT_AS_REPORT)\n"
"      --previrt-classes=LIST   sled only these classes\n"
"      --previrt-no-classes=LIST  leave these classes alone\n"
"      --previrt-no-nopl        pad with 0x90 only\n"
"      --previrt-werror         every note is an error\n"
"      --previrt-help           print this help and exit\n"
"      --previrt-version        print the version and exit\n"
"\n"
"The real assembler answers --help and --version. Exit status: the real\n"
"assembler's; 1 a refused site (nothing assembled) or an unreadable input;\n"
"2 bad arguments, an unknown class or no real assembler.\n";

struct diag_ctx {
	const char *name;	/* what the text is called before its first marker */
	int werror;
	int errors;
};

static void print_diag(void *vctx, const char *text, size_t at, int kind, const char *msg)
{
	struct diag_ctx *ctx = vctx;
	char file[PATH_MAX];
	long line;
	int error = ctx->werror || pv_diag_is_refusal((enum pv_diag_kind)kind);

	as_source_line(text, at, ctx->name, file, sizeof(file), &line);
	fprintf(stderr, "%s:%ld: %s: previrt: %s: %s\n", file, line, error ? "error" : "note",
		pv_diag_kind_name((enum pv_diag_kind)kind), msg);
	ctx->errors += error;
}

/* Append the whole of stream f to *buf (size *n, used *len). 0, or -1. */
static int slurp(FILE *f, char **buf, size_t *n, size_t *len)
{
	size_t got;

	do {
		if (*n - *len < 65536) {
			char *nb = realloc(*buf, *n * 2 + 65536);

			if (!nb)
				return -1;
			*buf = nb;
			*n = *n * 2 + 65536;
		}
		got = fread(*buf + *len, 1, *n - *len - 1, f);
		*len += got;
	} while (got > 0);
	(*buf)[*len] = '\0';
	return ferror(f) ? -1 : 0;
}

/*
 * The inputs, one after the other as gas reads them. Each starts with a
 * line marker of its own name unless it starts with '#' (cpp's output
 * does; and "#NO_APP" on the first line must stay there).
 */
static char *read_inputs(const struct as_args *a, const char **first_name)
{
	char *buf = NULL;
	size_t n = 0, len = 0;
	int i;

	*first_name = "{standard input}";
	for (i = 0; i < (a->ninputs ? a->ninputs : 1); i++) {
		const char *path = a->ninputs ? a->argv[a->input_at[i]] : "-";
		int from_stdin = strcmp(path, "-") == 0;
		const char *name = from_stdin ? "{standard input}" : path;
		FILE *f = from_stdin ? stdin : fopen(path, "r");
		int c;

		if (i == 0)
			*first_name = name;
		if (!f) {
			fprintf(stderr, "previrt-as: %s: %s\n", path, strerror(errno));
			free(buf);
			return NULL;
		}
		c = getc(f);
		if (c != EOF)
			ungetc(c, f);
		if (c != '#' || i > 0) {
			char mark[PATH_MAX + 16];
			size_t m = (size_t)snprintf(mark, sizeof(mark), "%s# 1 \"%s\"\n",
						    len && buf[len - 1] != '\n' ? "\n" : "", name);

			if (n - len <= m) {
				char *nb = realloc(buf, n + m + 65536);

				if (!nb)
					return NULL;
				buf = nb;
				n += m + 65536;
			}
			memcpy(buf + len, mark, m + 1);
			len += m;
		}
		if (slurp(f, &buf, &n, &len) < 0) {
			fprintf(stderr, "previrt-as: cannot read %s\n", path);
			free(buf);
			return NULL;
		}
		if (!from_stdin)
			fclose(f);
	}
	return buf;
}

/* Is 'path' this very program (a link to it included)? */
static int is_self(const char *path)
{
	char self[PATH_MAX], other[PATH_MAX];

	return realpath("/proc/self/exe", self) && realpath(path, other) &&
	       strcmp(self, other) == 0;
}

/* The real assembler: a path, or a name searched on $PATH skipping ourselves. */
static const char *find_real_as(const char *want, char *buf, size_t n)
{
	const char *name = want && *want ? want : "as";
	const char *path = getenv("PATH");

	if (strchr(name, '/'))
		return is_self(name) ? NULL : name;
	while (path && *path) {
		size_t k = strcspn(path, ":");

		snprintf(buf, n, "%.*s/%s", (int)k, k ? path : ".", name);
		if (access(buf, X_OK) == 0 && !is_self(buf))
			return buf;
		path += k + (path[k] == ':');
	}
	return NULL;
}

static void write_report(const char *report, const char *name, const struct pv_unit *u)
{
	FILE *f = fopen(report, "a");
	unsigned int c;

	if (!f) {
		fprintf(stderr, "previrt-as: cannot open report file %s\n", report);
		return;
	}
	fprintf(f, "previrt: %s: %u sites", name, u->sites);
	for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
		if (u->per_class[c])
			fprintf(f, " %s=%u", previrt_class_name(c), u->per_class[c]);
	fprintf(f, ", %u warnings\n", u->warnings);
	fclose(f);
}

/* Run the real assembler on argv (input files replaced by 'input'); its exit status. */
static int run_as(const char *as, struct as_args *a, const char *input)
{
	char **argv = a->argv;
	pid_t pid;
	int i, k = 1, status;

	argv[0] = (char *)as;
	if (input) {
		for (i = 1; i < a->argc; i++) {
			int j, is_input = 0;

			for (j = 0; j < a->ninputs; j++)
				is_input |= a->input_at[j] == i;
			if (is_input)
				continue;
			argv[k++] = argv[i];
		}
		argv[k++] = (char *)input;
		argv[k] = NULL;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("previrt-as: fork");
		return 1;
	}
	if (pid == 0) {
		execv(as, argv);
		fprintf(stderr, "previrt-as: cannot run %s: %s\n", as, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	struct as_args a;
	struct pv_unit unit;
	struct pv_result res;
	struct diag_ctx ctx = { 0 };
	char err[256], asbuf[PATH_MAX], tmp[PATH_MAX];
	const char *as, *name, *bad;
	char *text;
	int sites, rc, fd;
	FILE *out;

	if (as_args_read(&a, argc, argv, err, sizeof(err)) < 0) {
		fprintf(stderr, "previrt-as: %s\n", err);
		return 2;
	}
	/* --help and --version belong to the real assembler (gcc asks it). */
	if (a.own_help) {
		fputs(own_help, stdout);
		return 0;
	}
	if (a.own_version) {
		printf("previrt-as (previrt) %s\n", PACKAGE_VERSION);
		return 0;
	}
	as = find_real_as(a.real_as, asbuf, sizeof(asbuf));
	if (!as) {
		fprintf(stderr, "previrt-as: no real assembler '%s' (set --previrt-as= or $PREVIRT_AS)\n",
			a.real_as ? a.real_as : "as");
		return 2;
	}
	if (!a.target_set && strstr(as, "ia64"))
		a.target = AS_TARGET_IA64;
	/* "as --version" and the like: nothing to read */
	if ((a.ninputs == 0 && isatty(0)) || a.info_only)
		return run_as(as, &a, NULL);

	text = read_inputs(&a, &name);
	if (!text)
		return 1;
	pv_unit_init(&unit, a.target == AS_TARGET_IA64 ? 64 : a.bits);
	unit.opt.macro_sleds = 1;
	unit.opt.keep_lines = a.target == AS_TARGET_X86;
	unit.opt.no_nopl = a.no_nopl;
	unit.opt.diag_sink = print_diag;
	unit.opt.diag_ctx = &ctx;
	ctx.name = name;
	ctx.werror = a.werror;
	if ((a.classes && (pv_select_classes(&unit, "none", 1, &bad) < 0 ||
			   pv_select_classes(&unit, a.classes, 1, &bad) < 0)) ||
	    (a.no_classes && pv_select_classes(&unit, a.no_classes, 0, &bad) < 0)) {
		fprintf(stderr, "previrt-as: unknown class '%s'\n", bad);
		return 2;
	}
	sites = a.target == AS_TARGET_IA64 ?
		pv_ia64_rewrite(&unit, text, PV_TEMPLATE_TOPLEVEL, 0, &res) :
		pv_rewrite(&unit, text, PV_TEMPLATE_TOPLEVEL, 0, &res);
	if (sites < 0) {
		fprintf(stderr, "previrt-as: %s: out of memory\n", name);
		return 1;
	}
	if (a.report) {
		/* named as cpp's first marker names it, not by gcc's temporary file */
		char src[PATH_MAX];
		const char *eol = strchr(text, '\n');
		long line;

		as_source_line(text, eol ? (size_t)(eol - text) + 1 : 0, name, src, sizeof(src), &line);
		write_report(a.report, src, &unit);
	}
	if (ctx.errors) {
		fprintf(stderr, "previrt-as: %s: %d error(s); not assembled\n", name, ctx.errors);
		return 1;
	}

	snprintf(tmp, sizeof(tmp), "%s/previrt-as.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(tmp);
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out || fputs(res.text ? res.text : text, out) < 0 || fclose(out) != 0) {
		fprintf(stderr, "previrt-as: cannot write %s: %s\n", tmp, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
		return 1;
	}
	pv_result_free(&res);
	free(text);
	rc = run_as(as, &a, tmp);
	unlink(tmp);
	return rc;
}
