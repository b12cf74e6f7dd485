/* SPDX-License-Identifier: MIT */
/*
 * previrt-as's reading of an assembler command line: which words are its
 * own (--previrt-*), which are input files, and what they say about the
 * target (--32, --64). Everything else goes to the real assembler as it
 * was written.
 */
#ifndef PREVIRT_AS_ARGS_H
#define PREVIRT_AS_ARGS_H

#define AS_MAX_INPUTS 16

enum as_target { AS_TARGET_X86, AS_TARGET_IA64 };

struct as_args {
	const char *real_as;	/* --previrt-as=PATH, else $PREVIRT_AS, else NULL: search */
	const char *report;	/* --previrt-report=FILE, else $PREVIRT_AS_REPORT, else NULL */
	const char *classes;	/* --previrt-classes=LIST: only these */
	const char *no_classes;	/* --previrt-no-classes=LIST */
	int werror;		/* --previrt-werror: every note is an error */
	int target_set;		/* --previrt-target= given */
	enum as_target target;
	int bits;		/* 32 or 64 (x86) */
	int no_nopl;		/* --previrt-no-nopl: pad with 0x90 only */
	int info_only;		/* --version, --help: gas reads no input */
	int own_help;		/* --previrt-help: previrt-as's own options */
	int own_version;	/* --previrt-version */

	int argc;		/* the real assembler's arguments, argv[0] free */
	char **argv;
	int ninputs;
	int input_at[AS_MAX_INPUTS];	/* index in argv of each input file ("-" too) */
};

/*
 * Read argv. Returns 0, or -1 with a message in err (an unknown
 * --previrt- option, a missing value, too many inputs).
 */
int as_args_read(struct as_args *a, int argc, char **argv, char *err, unsigned long nerr);

#endif
