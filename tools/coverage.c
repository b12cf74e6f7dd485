/* SPDX-License-Identifier: MIT */
/*
 * The sweep: disassemble every executable section from its first byte to
 * its last, and decide for each sensitive instruction whether a sled
 * covers it.
 *
 * The sweep is linear, as objdump's is, but it uses the records as
 * landmarks: when it reaches a sled it decodes the recorded instruction,
 * checks that the record describes it (length, class), checks that the
 * rest of the sled is padding, and continues after the sled. Padding is
 * not code anyone wrote, so it is never reported. An instruction that
 * runs across the start of a sled means either a record pointing into
 * the middle of an instruction or a sweep that lost step in data; either
 * way the record cannot be trusted, and the sweep restarts at the sled.
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
	asection *sec;
	bool ignored;
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

static void rec_where(const struct pv_site *site, char *buf, size_t size)
{
	snprintf(buf, size, "%s+0x%llx (record %u)", bfd_section_name(site->table),
		 (unsigned long long)site->rec_off, site->index);
}

/*
 * Does the instruction at the sled match the record? MMIO sites are the
 * exception to "same class": they are ordinary memory accesses that are
 * sensitive only because of the accessor function they sit in, which the
 * binary no longer shows. Returns false when the instruction is not where
 * or as long as the record says, so that the padding cannot be found.
 */
static bool check_recorded_insn(struct sweep *s, struct pv_site *site,
				int len, const char *text)
{
	char rw[160], where[160];
	int klass;

	rec_where(site, rw, sizeof(rw));
	pv_where(s->img, site->sec, site->off, where, sizeof(where));
	if (len < 0) {
		pv_error(s->img, s->r, "%s: the sled at %s does not start with a whole instruction",
			 rw, where);
		return false;
	}
	if (len != site->rec.insn_len) {
		/* The padding would be looked for in the wrong place too. */
		pv_error(s->img, s->r, "%s: insn_len is %u, but the instruction at %s, '%s', is %d byte%s long",
			 rw, site->rec.insn_len, where, text, len, len == 1 ? "" : "s");
		return false;
	}
	klass = sensitive_class(text);
	if (klass == site->rec.klass)
		return true;
	if (klass == 0 && site->rec.klass == PREVIRT_CLASS_MMIO)
		return true;
	if (klass == 0)
		pv_error(s->img, s->r, "%s: class %s, but the instruction at %s, '%s', is not sensitive",
			 rw, previrt_class_name(site->rec.klass), where, text);
	else
		pv_error(s->img, s->r, "%s: class %s, but the instruction at %s, '%s', is class %s",
			 rw, previrt_class_name(site->rec.klass), where, text,
			 previrt_class_name((unsigned int)klass));
	return true;
}

/* Everything after the instruction, up to the end of the sled, must be no-ops. */
static void check_padding(struct sweep *s, const struct pv_site *site)
{
	bfd_vma end = site->off + site->rec.sled_len;
	bfd_vma off = site->off + site->rec.insn_len;
	char rw[160], where[160];

	rec_where(site, rw, sizeof(rw));
	while (off < end) {
		const char *text;
		int len = pv_disasm_one(s->dis, off, &text);

		s->r->n_insns++;
		pv_where(s->img, s->sec, off, where, sizeof(where));
		if (len < 0 || off + (bfd_vma)len > end) {
			pv_error(s->img, s->r, "%s: sled padding at %s runs past the end of the sled",
				 rw, where);
			return;
		}
		if (!pv_is_nop(text, s->img->bits)) {
			pv_error(s->img, s->r, "%s: sled padding at %s is '%s', not a no-op",
				 rw, where, text);
			return;
		}
		off += (bfd_vma)len;
	}
}

static void visit_sled(struct sweep *s, struct pv_site *site)
{
	const char *text;
	int len = pv_disasm_one(s->dis, site->off, &text);

	s->r->n_insns++;
	site->seen = true;
	if (check_recorded_insn(s, site, len, text))
		check_padding(s, site);
	s->r->by_class[site->rec.klass].covered++;
}

static void visit_insn(struct sweep *s, bfd_vma off, int len, const char *text)
{
	int klass = sensitive_class(text);

	if (!klass)
		return;
	if (s->ignored) {
		add_finding(&s->r->ignored, &s->r->n_ignored, s->sec, off, klass,
			    len, text);
		s->r->by_class[klass].ignored++;
	} else {
		add_finding(&s->r->uncovered, &s->r->n_uncovered, s->sec, off,
			    klass, len, text);
		s->r->by_class[klass].uncovered++;
	}
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
			char rw[160], where[160];

			rec_where(site, rw, sizeof(rw));
			pv_where(s->img, s->sec, off, where, sizeof(where));
			pv_error(s->img, s->r, "%s: the sled does not start on an instruction boundary: the instruction at %s, '%s' (%d bytes), runs across it",
				 rw, where, text, len);
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
	struct sweep s = { .img = img, .r = r };

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
}
