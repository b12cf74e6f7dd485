/* SPDX-License-Identifier: MIT */
/*
 * Reading and checking the previrt_sites table.
 *
 * Each 12-byte record names its sled by a PC-relative offset ("8841b - .").
 * How that offset is found depends on the file:
 *
 *  - In a linked file the linker has resolved it: the field holds the
 *    distance from the field to the sled.
 *  - In a relocatable object the assembler cannot know it (the sled is in
 *    another section), so the field carries a PC-relative relocation
 *    against a symbol of the code section, usually the section symbol.
 *    The sled is at symbol + addend. x86-64 keeps the addend in the
 *    relocation (RELA); i386 keeps it in the field itself (REL), which bfd
 *    tells us by marking the howto partial_inplace.
 *
 * Every record is checked before it may count as coverage; a record that
 * fails any check is reported, with the offset of the record inside the
 * table, and then left out, so that one run lists every bad record.
 * The runtime refuses the same records at boot, but a build should find
 * them first.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

/* The longest x86 instruction the processor accepts. */
#define X86_MAX_INSN_LEN 15

struct table {
	struct pv_image *img;
	struct pv_result *r;
	asection *sec;
	bfd_byte *bytes;
	arelent **relocs;	/* sorted by address */
	long n_relocs;
};

static uint32_t get_le32(const bfd_byte *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void decode(const bfd_byte *p, struct previrt_site *rec)
{
	rec->sled_rel = (int32_t)get_le32(p);
	rec->version = p[4];
	rec->arch = p[5];
	rec->klass = p[6];
	rec->flags = p[7];
	rec->sled_len = p[8];
	rec->insn_len = p[9];
	rec->slot = p[10];
	rec->reserved = p[11];
}

static int compare_reloc_address(const void *pa, const void *pb)
{
	const arelent *a = *(const arelent *const *)pa;
	const arelent *b = *(const arelent *const *)pb;

	return a->address < b->address ? -1 : a->address > b->address;
}

static bool load_relocs(struct table *t)
{
	long bound;

	if (!t->img->relocatable || !(t->sec->flags & SEC_RELOC))
		return true;
	bound = bfd_get_reloc_upper_bound(t->img->abfd, t->sec);
	if (bound < 0)
		goto fail;
	t->relocs = pv_xmalloc((size_t)bound);
	t->n_relocs = bfd_canonicalize_reloc(t->img->abfd, t->sec, t->relocs,
					     t->img->syms);
	if (t->n_relocs < 0)
		goto fail;
	qsort(t->relocs, (size_t)t->n_relocs, sizeof(*t->relocs),
	      compare_reloc_address);
	return true;
fail:
	pv_error(t->img, t->r, "%s: cannot read its relocations: %s",
		 bfd_section_name(t->sec), bfd_errmsg(bfd_get_error()));
	t->n_relocs = 0;
	return false;
}

/* The allocated section holding address vma in a linked file, if any. */
static asection *section_at_vma(bfd *abfd, bfd_vma vma)
{
	for (asection *s = abfd->sections; s; s = s->next) {
		bfd_vma start = bfd_section_vma(s);

		if (!(s->flags & SEC_ALLOC) || bfd_section_size(s) == 0)
			continue;
		/* Prefer code: vmlinux overlays per-cpu data at low addresses. */
		if (vma >= start && vma - start < bfd_section_size(s) &&
		    (s->flags & SEC_CODE))
			return s;
	}
	for (asection *s = abfd->sections; s; s = s->next) {
		bfd_vma start = bfd_section_vma(s);

		if ((s->flags & SEC_ALLOC) && vma >= start &&
		    vma - start < bfd_section_size(s))
			return s;
	}
	return NULL;
}

/*
 * Where a record's sled is. Returns false (after reporting) when the
 * record's sled_rel cannot be resolved at all.
 */
static bool resolve_sled(struct table *t, struct pv_site *site, char *rec_where)
{
	struct pv_image *img = t->img;
	long lo = 0, hi = t->n_relocs;

	if (!img->relocatable) {
		bfd_vma field = bfd_section_vma(t->sec) + site->rec_off;
		bfd_vma vma = field + (bfd_vma)(int64_t)site->rec.sled_rel;

		if (img->bits == 32)
			vma &= 0xffffffffu;
		site->sec = section_at_vma(img->abfd, vma);
		if (!site->sec) {
			pv_error(img, t->r, "%s: sled at 0x%llx lies outside every section of the file",
				 rec_where, (unsigned long long)vma);
			return false;
		}
		site->off = vma - bfd_section_vma(site->sec);
		return true;
	}

	/* Relocatable: find the relocation at the record's first byte. */
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (t->relocs[mid]->address < site->rec_off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == t->n_relocs || t->relocs[lo]->address != site->rec_off) {
		/*
		 * No relocation: the assembler resolved "8841b - ." itself,
		 * so the sled is in the table's own section, not in code.
		 * The section check below says so.
		 */
		site->sec = t->sec;
		site->off = site->rec_off + (bfd_vma)(int64_t)site->rec.sled_rel;
		return true;
	}

	const arelent *rel = t->relocs[lo];
	const reloc_howto_type *howto = rel->howto;
	const asymbol *sym = *rel->sym_ptr_ptr;
	bfd_vma addend = rel->addend;

	if (!howto || !howto->pc_relative || bfd_get_reloc_size(howto) != 4) {
		pv_error(img, t->r, "%s: sled_rel carries relocation %s against '%s'; a record needs a 32-bit PC-relative one",
			 rec_where, howto && howto->name ? howto->name : "(unknown)",
			 sym->name);
		return false;
	}
	if (bfd_is_und_section(sym->section) || bfd_is_com_section(sym->section) ||
	    bfd_is_abs_section(sym->section)) {
		pv_error(img, t->r, "%s: sled_rel refers to '%s', which is not defined in a section of this object; a sled must be in the object that records it",
			 rec_where, sym->name);
		return false;
	}
	if (howto->partial_inplace)
		addend += (bfd_vma)(int64_t)site->rec.sled_rel;
	site->sec = sym->section;
	site->off = sym->value + addend;
	if (img->bits == 32)
		site->off &= 0xffffffffu;
	return true;
}

/* Every check a single record must pass. Reports each failure. */
static bool check_fields(struct table *t, const struct pv_site *site,
			 const char *rec_where)
{
	struct pv_image *img = t->img;
	const struct previrt_site *rec = &site->rec;
	bool ok = true;

	if (rec->version != PREVIRT_ABI_VERSION) {
		pv_error(img, t->r, "%s: version %u, but this tool reads version %u",
			 rec_where, rec->version, PREVIRT_ABI_VERSION);
		/* Nothing else in a record of another version means anything. */
		return false;
	}
	if (rec->arch != img->arch) {
		pv_error(img, t->r, "%s: arch %u, but the file holds %s code (arch %d)",
			 rec_where, rec->arch,
			 img->arch == PREVIRT_ARCH_X86_64 ? "x86-64" : "x86-32",
			 img->arch);
		ok = false;
	}
	if (rec->klass == PREVIRT_CLASS_INVALID || rec->klass >= PREVIRT_CLASS_COUNT) {
		pv_error(img, t->r, "%s: class %u is out of range (valid: 1..%d)",
			 rec_where, rec->klass, PREVIRT_CLASS_COUNT - 1);
		ok = false;
	}
	if (rec->flags & ~PREVIRT_F_KNOWN) {
		pv_error(img, t->r, "%s: unknown flags 0x%02x", rec_where,
			 rec->flags & ~PREVIRT_F_KNOWN);
		ok = false;
	}
	/* the sled shapes (abi.h): as libprevirt's pv_check_record allows them */
	if ((rec->flags & PREVIRT_F_PAD_FIRST) &&
	    ((rec->flags & PREVIRT_F_STI_PAIR) ||
	     (rec->klass != PREVIRT_CLASS_STI && rec->klass != PREVIRT_CLASS_POPF &&
	      rec->klass != PREVIRT_CLASS_SEG_WRITE))) {
		pv_error(img, t->r, "%s: padding first (flags 0x%02x) on a %s site", rec_where,
			 rec->flags, previrt_class_name(rec->klass));
		ok = false;
	}
	if ((rec->flags & PREVIRT_F_STI_PAIR) &&
	    ((rec->klass != PREVIRT_CLASS_HLT && rec->klass != PREVIRT_CLASS_MWAIT) ||
	     rec->insn_len < 2)) {
		pv_error(img, t->r, "%s: an sti pair (flags 0x%02x) on a %s site of %u bytes",
			 rec_where, rec->flags, previrt_class_name(rec->klass), rec->insn_len);
		ok = false;
	}
	if (rec->insn_len == 0 || rec->insn_len > X86_MAX_INSN_LEN) {
		pv_error(img, t->r, "%s: insn_len %u is not an x86 instruction length (1..%d)",
			 rec_where, rec->insn_len, X86_MAX_INSN_LEN);
		ok = false;
	}
	if (rec->sled_len < rec->insn_len) {
		pv_error(img, t->r, "%s: sled_len %u is shorter than insn_len %u",
			 rec_where, rec->sled_len, rec->insn_len);
		ok = false;
	}
	if (rec->slot != 0 || rec->reserved != 0) {
		pv_error(img, t->r, "%s: slot %u and reserved %u must be 0 on x86",
			 rec_where, rec->slot, rec->reserved);
		ok = false;
	}
	return ok;
}

static bool check_placement(struct table *t, const struct pv_site *site,
			    const char *rec_where)
{
	char where[160];
	bfd_size_type size = bfd_section_size(site->sec);

	pv_where(t->img, site->sec, site->off, where, sizeof(where));
	if (!(site->sec->flags & SEC_CODE) ||
	    !(site->sec->flags & SEC_HAS_CONTENTS)) {
		pv_error(t->img, t->r, "%s: sled at %s is outside text: section %s is not executable",
			 rec_where, where, bfd_section_name(site->sec));
		return false;
	}
	if (site->off >= size || size - site->off < site->rec.sled_len) {
		pv_error(t->img, t->r, "%s: sled at %s (%u bytes) runs past the end of %s (%llu bytes)",
			 rec_where, where, site->rec.sled_len,
			 bfd_section_name(site->sec), (unsigned long long)size);
		return false;
	}
	return true;
}

static void read_table(struct pv_image *img, struct pv_result *r, asection *sec)
{
	struct table t = { .img = img, .r = r, .sec = sec };
	bfd_size_type size = bfd_section_size(sec);
	size_t n = size / PREVIRT_SITE_SIZE;

	if (!(sec->flags & SEC_HAS_CONTENTS)) {
		if (size)
			pv_error(img, r, "%s: section has no contents in the file (%llu bytes, NOBITS)",
				 bfd_section_name(sec), (unsigned long long)size);
		return;
	}
	if (!bfd_malloc_and_get_section(img->abfd, sec, &t.bytes)) {
		pv_error(img, r, "%s: cannot read the section: %s",
			 bfd_section_name(sec), bfd_errmsg(bfd_get_error()));
		return;
	}
	if (size % PREVIRT_SITE_SIZE)
		pv_error(img, r, "%s+0x%llx: truncated record: the section is %llu bytes, not a whole number of %d-byte records; the last %llu bytes are ignored",
			 bfd_section_name(sec),
			 (unsigned long long)(n * PREVIRT_SITE_SIZE),
			 (unsigned long long)size, PREVIRT_SITE_SIZE,
			 (unsigned long long)(size % PREVIRT_SITE_SIZE));
	load_relocs(&t);

	r->sites = pv_xrealloc(r->sites, (r->n_sites + n) * sizeof(*r->sites));
	for (size_t i = 0; i < n; i++) {
		struct pv_site *site = &r->sites[r->n_sites++];
		char rec_where[160];

		memset(site, 0, sizeof(*site));
		site->table = sec;
		site->index = (unsigned int)i;
		site->rec_off = i * PREVIRT_SITE_SIZE;
		decode(t.bytes + site->rec_off, &site->rec);
		snprintf(rec_where, sizeof(rec_where), "%s+0x%llx (record %zu)",
			 bfd_section_name(sec), (unsigned long long)site->rec_off, i);

		if (!check_fields(&t, site, rec_where))
			continue;
		if (!resolve_sled(&t, site, rec_where))
			continue;
		site->valid = check_placement(&t, site, rec_where);
	}
	free(t.relocs);
	free(t.bytes);
}

/* Valid sites first, in address order; invalid ones after, in table order. */
static int compare_sites(const void *pa, const void *pb)
{
	const struct pv_site *a = pa, *b = pb;

	if (a->valid != b->valid)
		return a->valid ? -1 : 1;
	if (a->valid) {
		if (a->sec->index != b->sec->index)
			return a->sec->index < b->sec->index ? -1 : 1;
		if (a->off != b->off)
			return a->off < b->off ? -1 : 1;
	}
	if (a->table->index != b->table->index)
		return a->table->index < b->table->index ? -1 : 1;
	return a->rec_off < b->rec_off ? -1 : a->rec_off > b->rec_off;
}

/*
 * Two sleds sharing a byte cannot both be rewritten: whichever the runtime
 * patches second would corrupt the first. The later one is refused.
 */
static void check_overlaps(struct pv_image *img, struct pv_result *r)
{
	const struct pv_site *prev = NULL;

	for (size_t i = 0; i < r->n_sites && r->sites[i].valid; i++) {
		struct pv_site *cur = &r->sites[i];
		char a[160], b[160];

		if (prev && prev->sec == cur->sec &&
		    cur->off < prev->off + prev->rec.sled_len) {
			pv_where(img, prev->sec, prev->off, a, sizeof(a));
			pv_where(img, cur->sec, cur->off, b, sizeof(b));
			pv_error(img, r, "%s+0x%llx (record %u): sled at %s overlaps the sled at %s (%u bytes) of %s+0x%llx (record %u)",
				 bfd_section_name(cur->table),
				 (unsigned long long)cur->rec_off, cur->index, b, a,
				 prev->rec.sled_len, bfd_section_name(prev->table),
				 (unsigned long long)prev->rec_off, prev->index);
			cur->valid = false;
			continue;
		}
		prev = cur;
	}
	/* Refused records move behind the valid ones again. */
	qsort(r->sites, r->n_sites, sizeof(*r->sites), compare_sites);
}

void pv_sites_read(struct pv_image *img, struct pv_result *r)
{
	for (asection *sec = img->abfd->sections; sec; sec = sec->next)
		if (strcmp(bfd_section_name(sec), PREVIRT_SECTION) == 0)
			read_table(img, r, sec);
	if (!r->n_sites)
		return;
	qsort(r->sites, r->n_sites, sizeof(*r->sites), compare_sites);
	check_overlaps(img, r);
}
