/* SPDX-License-Identifier: MIT */
/*
 * previrt-audit: the types its parts pass around.
 *
 * One audit looks at one "image": an object file, an executable, a shared
 * object, or one member of an archive. It reads the image's previrt_sites
 * table (sites.c), sweeps every executable section with libopcodes
 * (coverage.c, disasm.c), and hands what it found to a report (report-*.c).
 * Everything an audit learns about an image lands in a struct pv_result,
 * so that the text and the JSON report print the same facts.
 *
 * bfd.h wants PACKAGE defined before it is included: every file that
 * includes this header includes config.h first.
 */
#ifndef PREVIRT_AUDIT_H
#define PREVIRT_AUDIT_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <bfd.h>
#include <dis-asm.h>
#include <previrt/abi.h>

/* What the command line asked for. */
struct pv_options {
	bool json;		/* --json */
	bool quiet;		/* --quiet: no site list */
	bool allow_uncovered;	/* --allow-uncovered */
	const char **ignore;	/* sections whose code is not run in place */
	size_t n_ignore;
	struct pv_native *native;	/* --native-only: code that runs before, or without, previrt */
	size_t n_native;
};

/*
 * One entry of a --native-only list: code that provably runs only before
 * previrt patches, or never in the guest, so that a sled there would do
 * nothing. Its sensitive instructions are "native-only by construction",
 * named with the reason, not "uncovered".
 */
struct pv_native {
	enum { PV_NATIVE_SYMBOL, PV_NATIVE_FILE } kind;	/* what 'pattern' matches */
	char *pattern;		/* fnmatch(3) glob: a symbol, or the image's name */
	char *reason;
	unsigned long hits;	/* instructions it claimed, over every image */
};

/* One symbol usable for "symbol+offset", sorted by section then address. */
struct pv_symref {
	unsigned int secidx;
	bfd_vma value;		/* offset inside its section */
	const char *name;
	int rank;		/* higher wins between symbols at one address */
};

/* The file (or archive member) under audit. */
struct pv_image {
	bfd *abfd;
	char *name;		/* "file" or "archive(member)", for messages */
	bool relocatable;	/* ET_REL: sled addresses come from relocations */
	int bits;		/* 32 or 64: the code the disassembler expects */
	int arch;		/* PREVIRT_ARCH_* the records must carry */
	asymbol **syms;		/* bfd's symbol table, NULL-terminated */
	long n_syms;
	struct pv_symref *symrefs;	/* the subset fit for "symbol+offset" */
	size_t n_symrefs;
};

/* One record of previrt_sites, decoded and resolved. */
struct pv_site {
	asection *table;	/* the previrt_sites section holding the record */
	bfd_vma rec_off;	/* offset of the record inside 'table' */
	unsigned int index;	/* record number inside 'table' */
	struct previrt_site rec;	/* the fields as read (sled_rel as stored) */
	asection *sec;		/* section holding the sled, NULL if none */
	bfd_vma off;		/* offset of the sled inside 'sec' */
	bool placed;		/* passed the checks of its fields and place */
	bool valid;		/* passed every check: counts as coverage */
	bool seen;		/* the sweep found an instruction at the sled */
};

/* A sensitive instruction with no sled, or one in an ignored section. */
struct pv_finding {
	asection *sec;
	bfd_vma off;
	int klass;
	unsigned int len;
	char *text;		/* libopcodes' AT&T text, whitespace folded */
	const struct pv_native *native;	/* native-only: the entry that says why */
};

struct pv_tally {
	unsigned long covered;
	unsigned long uncovered;
	unsigned long ignored;
	unsigned long native_only;
};

/* An error found in the image: bad input, exit status 2. */
struct pv_diag {
	char *message;
};

struct pv_result {
	struct pv_site *sites;		/* sorted by section, then offset, once checked */
	size_t n_sites;
	struct pv_finding *uncovered;
	size_t n_uncovered;
	struct pv_finding *ignored;
	size_t n_ignored;
	struct pv_finding *native_only;
	size_t n_native_only;
	struct pv_tally by_class[PREVIRT_CLASS_COUNT];
	struct pv_diag *diags;
	size_t n_diags;
	struct pv_diag *warnings;	/* worth knowing, not bad input */
	size_t n_warnings;
	unsigned long n_desyncs;	/* times the sweep lost step before a sled */
	unsigned long n_insns;		/* instructions decoded, padding included */
	bool disassembled;		/* the sweep ran (not for unreadable input) */
};

/* diag.c */
extern const char *pv_progname;
void pv_error(struct pv_image *img, struct pv_result *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pv_warning(struct pv_image *img, struct pv_result *r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void *pv_xmalloc(size_t n);
void *pv_xrealloc(void *p, size_t n);
char *pv_xstrdup(const char *s);
char *pv_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pv_result_free(struct pv_result *r);

/* image.c */
bool pv_image_setup(struct pv_image *img, bfd *abfd, const char *name,
		    struct pv_result *r);
void pv_image_free(struct pv_image *img);
void pv_where(const struct pv_image *img, const asection *sec, bfd_vma off,
	      char *buf, size_t size);
const char *pv_image_kind(const struct pv_image *img);

/* symbols.c */
void pv_symbols_index(struct pv_image *img);
const char *pv_symbol_at(const struct pv_image *img, const asection *sec,
			 bfd_vma off, bfd_vma *delta);
bool pv_source_line(const struct pv_image *img, asection *sec, bfd_vma off,
		    const char **file, unsigned int *line);

/* sites.c */
void pv_sites_read(struct pv_image *img, struct pv_result *r);
/* "previrt_sites+0x18 (record 2)": how messages name a record. */
void pv_record_where(const struct pv_site *site, char *buf, size_t size);

/* disasm.c */
struct pv_disasm;
struct pv_disasm *pv_disasm_new(struct pv_image *img);
void pv_disasm_free(struct pv_disasm *d);
void pv_disasm_section(struct pv_disasm *d, asection *sec,
		       const bfd_byte *bytes, bfd_size_type size);
int pv_disasm_one(struct pv_disasm *d, bfd_vma off, const char **text);

/* coverage.c */
void pv_coverage_run(struct pv_image *img, struct pv_result *r,
		     const struct pv_options *opt);

/* native.c: read a --native-only list (0, or -1 with a message on stderr) */
int pv_native_read(struct pv_options *opt, const char *path);
struct pv_native *pv_native_match(const struct pv_options *opt, const struct pv_image *img,
				  const asection *sec, bfd_vma off);

/* report-text.c, report-json.c */
void pv_json_string(FILE *out, const char *s);
void pv_report_text(FILE *out, struct pv_image *img,
		    const struct pv_result *r, const struct pv_options *opt);
void pv_report_json(FILE *out, struct pv_image *img,
		    const struct pv_result *r, const struct pv_options *opt,
		    bool first);

#endif /* PREVIRT_AUDIT_H */
