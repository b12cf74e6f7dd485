/* SPDX-License-Identifier: MIT */
/*
 * The sweep: disassemble every executable section from its first byte to
 * its last, and decide for each sensitive instruction whether a sled
 * covers it.
 *
 * The sweep is linear, as objdump's is, but it uses the valid records as
 * landmarks: their sleds were checked by the runtime's validator
 * (sites.c), so the sweep counts each one and continues after it. Padding
 * is not code anyone wrote, so it is never reported. An instruction that
 * runs across the start of a valid sled means a sweep that lost step in
 * data: it restarts at the sled, and says so once (a warning, not bad
 * input). A refused record is no landmark: its bytes are swept as code,
 * and its instruction is reported as uncovered.
 *
 * Sections named with --ignore-section hold code that is not executed
 * where it lies (Linux copies .altinstr_replacement over the text at
 * boot): their sensitive instructions are listed apart and do not count
 * against coverage.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "x86-classify.h"

struct sweep {
	struct pv_image *img;
	struct pv_result *r;
	struct pv_disasm *dis;
	const struct pv_options *opt;
	asection *sec;
	bool ignored;
	char *first_desync;	/* the first desync's text, said once */
};

static bool section_ignored(const struct pv_options *opt, const asection *sec)
{
	for (size_t i = 0; i < opt->n_ignore; i++)
		if (strcmp(opt->ignore[i], bfd_section_name(sec)) == 0)
			return true;
	return false;
}

static void add_finding(struct pv_finding **list, size_t *n, asection *sec,
			bfd_vma off, int klass, int len, const char *text)
{
	struct pv_finding *f;

	/* Double at each power of two: a vmlinux has thousands of these. */
	if ((*n & (*n - 1)) == 0)
		*list = pv_xrealloc(*list, (*n ? 2 * *n : 1) * sizeof(**list));
	f = &(*list)[(*n)++];
	f->sec = sec;
	f->off = off;
	f->klass = klass;
	f->len = (unsigned int)len;
	f->text = pv_xstrdup(text);
	f->native = NULL;
}

/* Sensitive class of an instruction's text, 0 when harmless or opaque. */
static int sensitive_class(const char *text)
{
	struct pv_x86_insn insn;

	if (pv_x86_classify(text, &insn) != PV_X86_SENSITIVE)
		return 0;
	if (insn.klass <= PREVIRT_CLASS_INVALID || insn.klass >= PREVIRT_CLASS_COUNT)
		return 0;
	return insn.klass;
}

/*
 * A valid sled: sites.c had the runtime's validator check its instruction
 * and padding, so the sweep only counts it and steps over it. That also
 * keeps a 32-bit sled in 64-bit code (.code32) from being read as 64-bit.
 */
static void visit_sled(struct sweep *s, struct pv_site *site)
{
	s->r->n_insns++;
	site->seen = true;
	s->r->by_class[site->rec.klass].covered++;
	/* the sti of an "sti; hlt" site is in the sled too: covered */
	if (site->rec.flags & PREVIRT_F_STI_PAIR)
		s->r->by_class[PREVIRT_CLASS_STI].covered++;
}

static void visit_insn(struct sweep *s, bfd_vma off, int len, const char *text)
{
	int klass = sensitive_class(text);
	struct pv_native *native;

	if (!klass)
		return;
	if (s->ignored) {
		add_finding(&s->r->ignored, &s->r->n_ignored, s->sec, off, klass,
			    len, text);
		s->r->by_class[klass].ignored++;
	} else if ((native = pv_native_match(s->opt, s->img, s->sec, off)) != NULL) {
		add_finding(&s->r->native_only, &s->r->n_native_only, s->sec, off,
			    klass, len, text);
		s->r->native_only[s->r->n_native_only - 1].native = native;
		native->hits++;
		s->r->by_class[klass].native_only++;
	} else {
		add_finding(&s->r->uncovered, &s->r->n_uncovered, s->sec, off,
			    klass, len, text);
		s->r->by_class[klass].uncovered++;
	}
}

/*
 * An instruction the sweep decoded runs across the start of a valid sled:
 * the sweep lost step before it, in data placed in code (a jump table,
 * forced-emulation bytes, .code32 code read as 64-bit). The sled itself
 * was checked on its own bytes, so the sweep resumes there; what lies
 * between may hide or invent an unannotated instruction, which is said
 * once per image with the first place and a count.
 */
static void note_desync(struct sweep *s, const struct pv_site *site, bfd_vma off, int len,
			const char *text)
{
	char rw[160], where[160];

	if (s->r->n_desyncs++)
		return;
	pv_record_where(site, rw, sizeof(rw));
	pv_where(s->img, s->sec, off, where, sizeof(where));
	s->first_desync = pv_xasprintf("the sweep lost step before the sled of %s: the instruction at %s, '%s' (%d bytes), runs across it; it resumed at the sled",
				       rw, where, text, len);
}

/*
 * The valid sites of 'sec', which are contiguous: sites are sorted.
 * NULL when the image has none (no indexing a NULL table, even by 0).
 */
static struct pv_site *first_site_of(struct pv_result *r, const asection *sec,
				     size_t *count)
{
	size_t i = 0, j;

	*count = 0;
	if (!r->sites)
		return NULL;
	while (i < r->n_sites && r->sites[i].valid && r->sites[i].sec != sec)
		i++;
	for (j = i; j < r->n_sites && r->sites[j].valid && r->sites[j].sec == sec; j++)
		;
	*count = j - i;
	return &r->sites[i];
}

static void sweep_section(struct sweep *s, const bfd_byte *bytes,
			  bfd_size_type size)
{
	size_t n_sites;
	struct pv_site *site = first_site_of(s->r, s->sec, &n_sites);
	struct pv_site *sites_end = site ? site + n_sites : NULL;
	bfd_vma off = 0;

	pv_disasm_section(s->dis, s->sec, bytes, size);
	while (off < size) {
		const char *text;
		int len;

		if (site < sites_end && site->off == off) {
			visit_sled(s, site);
			off += site->rec.sled_len;
			site++;
			continue;
		}
		len = pv_disasm_one(s->dis, off, &text);
		s->r->n_insns++;
		if (len < 0)
			break;	/* the section ends inside an instruction */
		if (site < sites_end && off + (bfd_vma)len > site->off) {
			note_desync(s, site, off, len, text);
			off = site->off;
			continue;
		}
		visit_insn(s, off, len, text);
		off += (bfd_vma)len;
	}
}

void pv_coverage_run(struct pv_image *img, struct pv_result *r,
		     const struct pv_options *opt)
{
	struct sweep s = { .img = img, .r = r, .opt = opt };

	s.dis = pv_disasm_new(img);
	if (!s.dis) {
		pv_error(img, r, "libopcodes has no disassembler for %s",
			 bfd_printable_arch_mach(bfd_get_arch(img->abfd),
						 bfd_get_mach(img->abfd)));
		return;
	}
	for (asection *sec = img->abfd->sections; sec; sec = sec->next) {
		bfd_byte *bytes;

		if (!(sec->flags & SEC_CODE) || !(sec->flags & SEC_HAS_CONTENTS) ||
		    bfd_section_size(sec) == 0)
			continue;
		if (!bfd_malloc_and_get_section(img->abfd, sec, &bytes)) {
			pv_error(img, r, "%s: cannot read the section: %s",
				 bfd_section_name(sec), bfd_errmsg(bfd_get_error()));
			continue;
		}
		s.sec = sec;
		s.ignored = section_ignored(opt, sec);
		sweep_section(&s, bytes, bfd_section_size(sec));
		free(bytes);
	}
	pv_disasm_free(s.dis);
	r->disassembled = true;
	if (r->n_desyncs) {
		pv_warning(img, r, "%s (%lu time%s in this file; data in code?)", s.first_desync,
			   r->n_desyncs, r->n_desyncs == 1 ? "" : "s");
		free(s.first_desync);
	}
}
