/* SPDX-License-Identifier: MIT */
/*
 * The report for programs: the same facts as the text report, one JSON
 * object per image. Section offsets are numbers; addresses are strings,
 * since a kernel address does not fit the 53 bits a JSON reader may keep.
 * main.c writes the enclosing object and the exit status.
 */
#include "config.h"

#include <stdio.h>

#include "audit.h"

/*
 * Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0.
 */
static size_t utf8_length(const unsigned char *p)
{
	unsigned int lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (*p < 0x80)
		return 1;
	if (*p >= 0xc2 && *p <= 0xdf)
		n = 2;
	else if (*p >= 0xe0 && *p <= 0xef)
		n = 3, lo = *p == 0xe0 ? 0xa0 : 0x80, hi = *p == 0xed ? 0x9f : 0xbf;
	else if (*p >= 0xf0 && *p <= 0xf4)
		n = 4, lo = *p == 0xf0 ? 0x90 : 0x80, hi = *p == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	for (i = 1; i < n; i++, lo = 0x80, hi = 0xbf)
		if (p[i] < lo || p[i] > hi)
			return 0;
	return n;
}

/*
 * Names in an ELF file are bytes, JSON strings are Unicode: a byte that
 * is not part of well-formed UTF-8 is written as the four characters
 * \xNN (a backslash, escaped, then x and two hex digits), so that the
 * document stays valid and the byte stays visible.
 */
void pv_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		size_t n = utf8_length(p);

		if (n == 0) {
			fprintf(out, "\\\\x%02x", *p);
		} else if (n > 1) {
			fwrite(p, 1, n, out);
			p += n - 1;
		} else if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static void place(FILE *out, const struct pv_image *img, const asection *sec,
		  bfd_vma off)
{
	bfd_vma delta;
	const char *name = pv_symbol_at(img, sec, off, &delta);

	fputs("\"section\": ", out);
	pv_json_string(out, bfd_section_name(sec));
	fprintf(out, ", \"offset\": %llu, \"address\": \"0x%llx\", \"symbol\": ",
		(unsigned long long)off,
		(unsigned long long)(bfd_section_vma(sec) + off));
	if (name) {
		pv_json_string(out, name);
		fprintf(out, ", \"symbol_offset\": %llu", (unsigned long long)delta);
	} else {
		fputs("null, \"symbol_offset\": null", out);
	}
}

static void source(FILE *out, const struct pv_image *img, asection *sec,
		   bfd_vma off)
{
	const char *file;
	unsigned int line;

	fputs(", \"source\": ", out);
	if (pv_source_line(img, sec, off, &file, &line)) {
		fputs("{\"file\": ", out);
		pv_json_string(out, file);
		fprintf(out, ", \"line\": %u}", line);
	} else {
		fputs("null", out);
	}
}

static void sites(FILE *out, const struct pv_image *img,
		  const struct pv_result *r)
{
	const char *sep = "";

	fputs("    \"sites\": [", out);
	for (size_t i = 0; i < r->n_sites && r->sites[i].valid; i++) {
		const struct pv_site *s = &r->sites[i];

		fprintf(out, "%s\n      {", sep);
		place(out, img, s->sec, s->off);
		fprintf(out, ", \"class\": \"%s\", \"class_number\": %u, \"sled_len\": %u, \"insn_len\": %u, \"flags\": %u, \"device\": %s",
			previrt_class_name(s->rec.klass), s->rec.klass,
			s->rec.sled_len, s->rec.insn_len, s->rec.flags,
			s->rec.flags & PREVIRT_F_DEVICE ? "true" : "false");
		source(out, img, s->sec, s->off);
		fputc('}', out);
		sep = ",";
	}
	fputs("],\n", out);
}

static void findings(FILE *out, const struct pv_image *img, const char *key,
		     const struct pv_finding *f, size_t n)
{
	const char *sep = "";

	fprintf(out, "    \"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s\n      {", sep);
		place(out, img, f[i].sec, f[i].off);
		fprintf(out, ", \"class\": \"%s\", \"length\": %u, \"instruction\": ",
			previrt_class_name((unsigned int)f[i].klass), f[i].len);
		pv_json_string(out, f[i].text);
		source(out, img, f[i].sec, f[i].off);
		if (f[i].native) {
			fputs(", \"reason\": ", out);
			pv_json_string(out, f[i].native->reason);
		}
		fputc('}', out);
		sep = ",";
	}
	fputs("],\n", out);
}

/* native_only only when a --native-only list was given */
static void tally(FILE *out, const struct pv_tally *t, bool native)
{
	fprintf(out, "{\"covered\": %lu, \"uncovered\": %lu, \"ignored\": %lu",
		t->covered, t->uncovered, t->ignored);
	if (native)
		fprintf(out, ", \"native_only\": %lu", t->native_only);
	fputc('}', out);
}

static void summary(FILE *out, const struct pv_result *r, bool native)
{
	struct pv_tally total = { 0, 0, 0, 0 };
	const char *sep = "";

	fputs("    \"summary\": {", out);
	for (unsigned int k = 1; k < PREVIRT_CLASS_COUNT; k++) {
		const struct pv_tally *t = &r->by_class[k];

		if (!t->covered && !t->uncovered && !t->ignored && !t->native_only)
			continue;
		fprintf(out, "%s\n      \"%s\": ", sep, previrt_class_name(k));
		tally(out, t, native);
		total.covered += t->covered;
		total.uncovered += t->uncovered;
		total.ignored += t->ignored;
		total.native_only += t->native_only;
		sep = ",";
	}
	fputs("},\n    \"totals\": ", out);
	tally(out, &total, native);
	fprintf(out, ",\n    \"instructions_decoded\": %lu,\n", r->n_insns);
}

static void messages(FILE *out, const char *key, const struct pv_diag *d, size_t n)
{
	fprintf(out, "    \"%s\": [", key);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n      " : "\n      ", out);
		pv_json_string(out, d[i].message);
	}
	fputs("],\n", out);
}

void pv_report_json(FILE *out, struct pv_image *img, const struct pv_result *r,
		    const struct pv_options *opt, bool first)
{
	bool readable = img->abfd && r->disassembled;

	fputs(first ? "\n  {\n" : ",\n  {\n", out);
	fputs("    \"file\": ", out);
	pv_json_string(out, img->name);
	fputs(",\n", out);
	if (readable) {
		fputs("    \"format\": ", out);
		pv_json_string(out, bfd_get_target(img->abfd));
		fprintf(out, ", \"kind\": \"%s\", \"bits\": %d,\n",
			pv_image_kind(img), img->bits);
		sites(out, img, r);
		findings(out, img, "uncovered", r->uncovered, r->n_uncovered);
		findings(out, img, "ignored", r->ignored, r->n_ignored);
		if (opt->n_native)
			findings(out, img, "native_only", r->native_only, r->n_native_only);
		summary(out, r, opt->n_native > 0);
	}
	messages(out, "errors", r->diags, r->n_diags);
	messages(out, "warnings", r->warnings, r->n_warnings);
	fprintf(out, "    \"verdict\": \"%s\"\n  }",
		r->n_diags ? "bad-input" : r->n_uncovered ? "uncovered" : "covered");
}
