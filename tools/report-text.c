/* SPDX-License-Identifier: MIT */
/*
 * The report for people: sites, uncovered instructions, instructions in
 * ignored sections, a table by class and a one-line verdict. Errors have
 * already gone to stderr as they were found; the verdict counts them.
 */
#include "config.h"

#include <stdio.h>

#include "audit.h"

static void symbol_column(const struct pv_image *img, const asection *sec,
			  bfd_vma off, char *buf, size_t size)
{
	bfd_vma delta;
	const char *name = pv_symbol_at(img, sec, off, &delta);

	if (name)
		snprintf(buf, size, "%s+0x%llx", name, (unsigned long long)delta);
	else
		snprintf(buf, size, "?");
}

static void flags_column(unsigned int flags, char *buf, size_t size)
{
	static const struct { unsigned int bit; const char *name; } known[] = {
		{ PREVIRT_F_DEVICE, "device" },
		{ PREVIRT_F_RAW_BYTES, "raw" },
		{ PREVIRT_F_PREFIXED, "prefixed" },
		{ PREVIRT_F_BOUNDARY, "boundary" },
		{ PREVIRT_F_PAD_FIRST, "pad-first" },
		{ PREVIRT_F_STI_PAIR, "sti-pair" },
	};
	size_t used = 0;

	snprintf(buf, size, "-");
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!(flags & known[i].bit))
			continue;
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 used ? "," : "", known[i].name);
		if (used >= size)
			break;
	}
}

static void print_sites(FILE *out, const struct pv_image *img,
			const struct pv_result *r)
{
	size_t n_valid = 0;

	for (size_t i = 0; i < r->n_sites; i++)
		n_valid += r->sites[i].valid;
	fprintf(out, "sites: %zu", n_valid);
	if (n_valid != r->n_sites)
		fprintf(out, " (%zu more refused, see the errors)", r->n_sites - n_valid);
	fputc('\n', out);
	if (!n_valid)
		return;
	fprintf(out, "  %-24s %-32s %-11s %4s %4s %s\n", "where", "symbol",
		"class", "sled", "insn", "flags");
	for (size_t i = 0; i < r->n_sites && r->sites[i].valid; i++) {
		const struct pv_site *s = &r->sites[i];
		char where[160], sym[256], flags[64];

		pv_where(img, s->sec, s->off, where, sizeof(where));
		symbol_column(img, s->sec, s->off, sym, sizeof(sym));
		flags_column(s->rec.flags, flags, sizeof(flags));
		fprintf(out, "  %-24s %-32s %-11s %4u %4u %s\n", where, sym,
			previrt_class_name(s->rec.klass), s->rec.sled_len,
			s->rec.insn_len, flags);
	}
}

static void print_findings(FILE *out, const struct pv_image *img,
			   const char *title, const struct pv_finding *f,
			   size_t n)
{
	fprintf(out, "%s: %zu\n", title, n);
	if (!n)
		return;
	fprintf(out, "  %-24s %-32s %-11s %-32s %s\n", "where", "symbol",
		"class", "instruction", f[0].native ? "source; why" : "source");
	for (size_t i = 0; i < n; i++) {
		char where[160], sym[256];
		const char *file;
		unsigned int line;

		pv_where(img, f[i].sec, f[i].off, where, sizeof(where));
		symbol_column(img, f[i].sec, f[i].off, sym, sizeof(sym));
		fprintf(out, "  %-24s %-32s %-11s %-32s ", where, sym,
			previrt_class_name((unsigned int)f[i].klass), f[i].text);
		if (pv_source_line(img, f[i].sec, f[i].off, &file, &line))
			fprintf(out, "%s:%u", file, line);
		else
			fprintf(out, "-");
		if (f[i].native)
			fprintf(out, "; %s", f[i].native->reason);
		fputc('\n', out);
	}
}

/* The native-only column only when a --native-only list was given. */
static void print_summary(FILE *out, const struct pv_result *r, bool native)
{
	struct pv_tally total = { 0, 0, 0, 0 };

	fprintf(out, "summary by class (%lu instructions decoded):\n  %-11s %9s %9s %9s%s\n",
		r->n_insns, "class", "covered", "uncovered", "ignored", native ? " native-only" : "");
	for (unsigned int k = 1; k < PREVIRT_CLASS_COUNT; k++) {
		const struct pv_tally *t = &r->by_class[k];

		if (!t->covered && !t->uncovered && !t->ignored && !t->native_only)
			continue;
		fprintf(out, "  %-11s %9lu %9lu %9lu", previrt_class_name(k),
			t->covered, t->uncovered, t->ignored);
		if (native)
			fprintf(out, " %11lu", t->native_only);
		fputc('\n', out);
		total.covered += t->covered;
		total.uncovered += t->uncovered;
		total.ignored += t->ignored;
		total.native_only += t->native_only;
	}
	fprintf(out, "  %-11s %9lu %9lu %9lu", "total", total.covered,
		total.uncovered, total.ignored);
	if (native)
		fprintf(out, " %11lu", total.native_only);
	fputc('\n', out);
}

void pv_report_text(FILE *out, struct pv_image *img, const struct pv_result *r,
		    const struct pv_options *opt)
{
	if (!img->abfd || !r->disassembled) {
		fprintf(out, "== %s ==\nverdict: bad input (%zu error%s)\n\n",
			img->name, r->n_diags, r->n_diags == 1 ? "" : "s");
		return;
	}
	fprintf(out, "== %s (%s, %s) ==\n", img->name, bfd_get_target(img->abfd),
		pv_image_kind(img));
	if (!opt->quiet)
		print_sites(out, img, r);
	print_findings(out, img, "uncovered sensitive instructions",
		       r->uncovered, r->n_uncovered);
	if (r->n_native_only)
		print_findings(out, img, "native-only by construction (runs before previrt "
			       "patches, or never in the guest)", r->native_only, r->n_native_only);
	if (r->n_ignored)
		print_findings(out, img,
			       "sensitive instructions in ignored sections (not run in place)",
			       r->ignored, r->n_ignored);
	print_summary(out, r, opt->n_native > 0);
	if (r->n_diags)
		fprintf(out, "verdict: bad input (%zu error%s)\n", r->n_diags,
			r->n_diags == 1 ? "" : "s");
	else if (r->n_uncovered)
		fprintf(out, "verdict: %zu sensitive instruction%s not covered\n",
			r->n_uncovered, r->n_uncovered == 1 ? "" : "s");
	else if (r->n_native_only)
		fprintf(out, "verdict: every sensitive instruction is covered, but %zu native-only "
			"by construction\n", r->n_native_only);
	else
		fprintf(out, "verdict: every sensitive instruction is covered\n");
	fputc('\n', out);
}
