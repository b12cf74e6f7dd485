// SPDX-License-Identifier: MIT
/*
 * Fuzz target for previrt-audit on files and archives: the whole tool,
 * from libbfd's reading of the file through the record checks and the
 * disassembly sweep to the text and JSON reports.
 *
 * The tool's own main() is built in under another name (-Dmain=
 * pv_audit_main, see Makefile.am), so that what is fuzzed is exactly what
 * runs from the command line; an input is written to a file, since that
 * is how the tool reads (an archive is audited member by member).  An
 * input of odd length gets the JSON report, of even length the text one.
 *
 * Invariants, else abort(): the exit status is 0, 1 or 2, and nothing
 * the sanitizers see (no read outside a section's bytes, no leak).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <getopt.h>
#include <unistd.h>
#include <bfd.h>

int pv_audit_main(int argc, char **argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[] = "/tmp/previrt-fuzz-audit-XXXXXX";
static int fd = -1, devnull = -1;
static bfd_error_handler_type bfd_handler;

static void remove_file(void)
{
	unlink(path);
}

/*
 * The tool's reports go nowhere, but only while it runs: a driver's TAP
 * must not.  Its errors stay on stderr, where a crash report goes too.
 */
static int quiet_call(int argc, char **argv)
{
	int out, rc;

	fflush(stdout);
	out = dup(1);
	dup2(devnull, 1);
	/*
	 * main() chains its complaint counter onto the handler it finds: give
	 * it libbfd's own each time, not the counter a previous run left
	 * (which would then call itself forever).
	 */
	bfd_set_error_handler(bfd_handler);
	rc = pv_audit_main(argc, argv);
	fflush(stdout);
	dup2(out, 1);
	close(out);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char prog[] = "previrt-audit", json[] = "--json", quiet[] = "--quiet";
	char *argv[] = { prog, size & 1 ? json : quiet, path, NULL };
	int rc;

	if (fd < 0) {
		fd = mkstemp(path);
		devnull = open("/dev/null", O_WRONLY);
		if (fd < 0 || devnull < 0)
			abort();
		atexit(remove_file);
		bfd_handler = bfd_set_error_handler(NULL);	/* libbfd's default */
		bfd_set_error_handler(bfd_handler);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	optind = 0;	/* getopt starts over: a new command line */
	rc = quiet_call(3, argv);
	if (rc < 0 || rc > 2)
		abort();
	return 0;
}
