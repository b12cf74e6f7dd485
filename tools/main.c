/* SPDX-License-Identifier: MIT */
/*
 * previrt-audit: does every sensitive instruction of a binary sit in a
 * sled the runtime can rewrite?
 *
 * This file reads the command line, opens each file (an archive is
 * audited member by member), runs the audit on each image and turns the
 * results into an exit status: 2 for bad input, 1 for uncovered
 * instructions, 0 when everything is covered.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"

/*
 * Linux copies ALTERNATIVE() replacements over its text at boot; their
 * bytes never run where they lie, and the plugin leaves them alone on
 * purpose, so they are reported apart unless told otherwise.
 */
static const char *const default_ignore[] = { ".altinstr_replacement" };

/*
 * libbfd reports what it finds wrong in a file (a bad string table index,
 * a section past the end of the file) and then carries on with what it
 * could read: sections may be missing. Its messages go to stderr as
 * before, and are counted, so that the image they were about is bad input
 * instead of a quiet "covered". Most come through its error handler; the
 * ones found while it recognises the format it prints to stderr itself,
 * so check_format() catches stderr around that call.
 */
static bfd_error_handler_type bfd_default_handler;
static unsigned long bfd_complaints;
static char bfd_said[512];	/* the text of the ones caught, for the JSON report */

/* Keep what libbfd printed, one line after the other, without its "prog: ". */
static void keep_said(const char *text)
{
	size_t used = strlen(bfd_said), plen = strlen(pv_progname);

	for (const char *line = text; *line && used + 1 < sizeof(bfd_said);) {
		size_t n = strcspn(line, "\n");

		if (n > plen + 2 && strncmp(line, pv_progname, plen) == 0 && line[plen] == ':')
			line += plen + 2, n -= plen + 2;
		used += (size_t)snprintf(bfd_said + used, sizeof(bfd_said) - used, "%s%.*s",
					 used ? "; " : "", (int)n, line);
		if (used >= sizeof(bfd_said))
			used = sizeof(bfd_said) - 1;
		line += n;
		while (*line == '\n')
			line++;
	}
}

static void count_bfd_complaint(const char *fmt, va_list ap)
{
	bfd_complaints++;
	bfd_default_handler(fmt, ap);
}

static bool check_format(bfd *abfd, bfd_format format)
{
	FILE *caught = tmpfile();
	int saved = -1;
	bool ok;
	long n;

	fflush(stderr);
	if (caught)
		saved = dup(STDERR_FILENO);
	if (saved >= 0)
		dup2(fileno(caught), STDERR_FILENO);
	ok = bfd_check_format(abfd, format);
	if (saved < 0) {
		if (caught)
			fclose(caught);
		return ok;
	}
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = ftell(caught);
	if (n > 0) {
		char buf[4096];
		size_t got;

		bfd_complaints++;
		rewind(caught);
		while ((got = fread(buf, 1, sizeof(buf) - 1, caught)) > 0) {
			fwrite(buf, 1, got, stderr);
			buf[got] = '\0';
			keep_said(buf);
		}
	}
	fclose(caught);
	return ok;
}

struct run {
	const struct pv_options *opt;
	bool any_error;
	bool any_uncovered;
	bool first_json;
};

static void usage(FILE *out)
{
	fprintf(out,
"Usage: %s [OPTION]... FILE...\n"
"Check that every sensitive x86 instruction in FILE sits in a sled that a\n"
"previrt_sites record describes. FILE is an x86-32 or x86-64 ELF object,\n"
"archive, executable, shared object or Linux vmlinux.\n"
"\n"
"  -j, --json                 print the report as JSON on stdout\n"
"  -q, --quiet                leave the list of sites out of the text report\n"
"      --allow-uncovered      exit 0 even when instructions are uncovered\n"
"  -i, --ignore-section=NAME  list the sensitive instructions of section NAME\n"
"                             apart and leave them out of the verdict: for\n"
"                             code that is copied elsewhere before it runs.\n"
"                             Repeatable. Default: .altinstr_replacement\n"
"      --no-default-ignore    forget the default ignored sections (the ones\n"
"                             given with --ignore-section still count)\n"
"      --native-only=FILE     code that runs before previrt patches or never\n"
"                             in the guest: lines 'symbol GLOB REASON' or\n"
"                             'file GLOB REASON'; its instructions are listed\n"
"                             as native-only by construction, with the\n"
"                             reason, and not counted as uncovered\n"
"  -h, --help                 print this help and exit\n"
"  -V, --version              print the version and exit\n"
"\n"
"Exit status: 0 every sensitive instruction is covered; 1 some are not\n"
"(0 with --allow-uncovered); 2 bad input: an unreadable or non-x86 file,\n"
"or a bad previrt_sites record (each reported on stderr with its place).\n",
		pv_progname);
}

static void report(struct run *run, struct pv_image *img, struct pv_result *r)
{
	if (run->opt->json) {
		pv_report_json(stdout, img, r, run->opt, run->first_json);
		run->first_json = false;
	} else {
		pv_report_text(stdout, img, r, run->opt);
	}
	if (r->n_diags)
		run->any_error = true;
	if (r->n_uncovered)
		run->any_uncovered = true;
}

static void audit_bfd(struct run *run, bfd *abfd, const char *name,
		      unsigned long complaints)
{
	struct pv_image img;
	struct pv_result r;

	memset(&img, 0, sizeof(img));
	memset(&r, 0, sizeof(r));
	if (pv_image_setup(&img, abfd, name, &r)) {
		pv_sites_read(&img, &r);
		pv_coverage_run(&img, &r, run->opt);
	}
	if (bfd_complaints != complaints)
		pv_error(&img, &r, "libbfd found %lu problem%s in the file (%s): what it could read cannot be trusted",
			 bfd_complaints - complaints, bfd_complaints - complaints == 1 ? "" : "s",
			 bfd_said[0] ? bfd_said : "see above");
	bfd_said[0] = '\0';
	report(run, &img, &r);
	pv_result_free(&r);
	pv_image_free(&img);
}

/* A file that never became an image: report the one error it has. */
static void audit_failure(struct run *run, const char *name, const char *what)
{
	struct pv_image img;
	struct pv_result r;

	memset(&img, 0, sizeof(img));
	memset(&r, 0, sizeof(r));
	img.name = pv_xstrdup(name);
	pv_error(&img, &r, "%s: %s", what, bfd_errmsg(bfd_get_error()));
	report(run, &img, &r);
	pv_result_free(&r);
	pv_image_free(&img);
}

/* complaints: libbfd's count before this file or member was first looked at */
static void audit_object(struct run *run, bfd *abfd, const char *name,
			 unsigned long complaints)
{
	if (check_format(abfd, bfd_object)) {
		audit_bfd(run, abfd, name, complaints);
		return;
	}
	audit_failure(run, name, "not an object file");
}

static void audit_archive(struct run *run, bfd *archive, const char *path)
{
	bfd *member = NULL, *prev = NULL;

	for (;;) {
		char *name;

		unsigned long complaints = bfd_complaints;

		bfd_set_error(bfd_error_no_error);
		member = bfd_openr_next_archived_file(archive, prev);
		if (prev)
			bfd_close(prev);
		if (!member) {
			if (bfd_get_error() != bfd_error_no_more_archived_files)
				audit_failure(run, path, "cannot read the next archive member");
			return;
		}
		name = pv_xasprintf("%s(%s)", path, bfd_get_filename(member));
		audit_object(run, member, name, complaints);
		free(name);
		prev = member;
	}
}

static void audit_file(struct run *run, const char *path)
{
	unsigned long complaints = bfd_complaints;
	bfd *abfd = bfd_openr(path, NULL);

	if (!abfd) {
		audit_failure(run, path, "cannot open");
		return;
	}
	if (check_format(abfd, bfd_archive))
		audit_archive(run, abfd, path);
	else
		audit_object(run, abfd, path, complaints);
	bfd_close(abfd);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "allow-uncovered", no_argument, NULL, 'A' },
		{ "ignore-section", required_argument, NULL, 'i' },
		{ "no-default-ignore", no_argument, NULL, 'N' },
		{ "native-only", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct pv_options opt;
	struct run run;
	const char **given = pv_xmalloc((size_t)argc * sizeof(*given));
	size_t n_given = 0;
	bool defaults = true;
	int c;

	memset(&opt, 0, sizeof(opt));
	while ((c = getopt_long(argc, argv, "jqi:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': opt.json = true; break;
		case 'q': opt.quiet = true; break;
		case 'A': opt.allow_uncovered = true; break;
		case 'i': given[n_given++] = optarg; break;
		case 'N': defaults = false; break;
		case 'n':
			if (pv_native_read(&opt, optarg) < 0)
				return 2;
			break;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("%s (%s) %s\n", pv_progname, PACKAGE_NAME, PACKAGE_VERSION);
			printf("reads previrt_sites records of ABI version %d\n",
			       PREVIRT_ABI_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try '%s --help'.\n", pv_progname);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "%s: no input files\nTry '%s --help'.\n",
			pv_progname, pv_progname);
		return 2;
	}

	opt.ignore = pv_xmalloc((n_given + 1) * sizeof(*opt.ignore));
	if (defaults)
		opt.ignore[opt.n_ignore++] = default_ignore[0];
	for (size_t i = 0; i < n_given; i++)
		opt.ignore[opt.n_ignore++] = given[i];

	if (bfd_init() != BFD_INIT_MAGIC) {
		fprintf(stderr, "%s: libbfd does not match the bfd.h this was built with\n",
			pv_progname);
		return 2;
	}
	bfd_set_error_program_name(pv_progname);
	bfd_default_handler = bfd_set_error_handler(count_bfd_complaint);
	memset(&run, 0, sizeof(run));
	run.opt = &opt;
	run.first_json = true;

	if (opt.json)
		printf("{\n\"tool\": \"%s\", \"version\": \"%s\", \"abi_version\": %d,\n\"images\": [",
		       pv_progname, PACKAGE_VERSION, PREVIRT_ABI_VERSION);
	for (int i = optind; i < argc; i++)
		audit_file(&run, argv[i]);

	int status = run.any_error ? 2 :
		     run.any_uncovered && !opt.allow_uncovered ? 1 : 0;
	if (opt.json)
		printf("],\n\"exit_status\": %d\n}\n", status);
	free(opt.ignore);
	free(given);
	return status;
}
