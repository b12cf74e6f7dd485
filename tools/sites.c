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
 * fails a check is reported, with the offset of the record inside the
 * table, and then left out, so that one run lists every bad record.
 * What "valid" means is not decided here: the record's fields and the
 * sled's bytes go through the runtime's own validator
 * (libprevirt/site-valid.c), in the order the runtime applies it (fields,
 * place, overlaps, bytes), so that the audit refuses exactly the records
 * the runtime refuses at boot, a build earlier.  This file only finds the
 * bytes and words the reasons for people.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "site-valid.h"

/* The contents of the code sections sleds are in, read once each. */
struct code_cache {
	asection **sec;
	bfd_byte **bytes;
	size_t n;
};

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

/* The record's own fields, judged by the shared validator; says why not. */
static bool check_fields(struct table *t, const struct pv_site *site,
			 const char *rec_where)
{
	struct pv_image *img = t->img;
	const struct previrt_site *rec = &site->rec;
	unsigned int want = rec->insn_len > PREVIRT_X86_SLED_BUDGET ? rec->insn_len
								    : PREVIRT_X86_SLED_BUDGET;

	enum pv_site_fault f = pv_site_check_fields(rec, (unsigned int)img->arch);

	switch (f) {
	case PV_SITE_OK:
		return true;
	case PV_SITE_VERSION:
		pv_error(img, t->r, "%s: version %u, but this tool reads version %u",
			 rec_where, rec->version, PREVIRT_ABI_VERSION);
		break;
	case PV_SITE_ARCH:
		pv_error(img, t->r, "%s: arch %u, but the file holds %s code (arch %d)",
			 rec_where, rec->arch,
			 img->arch == PREVIRT_ARCH_X86_64 ? "x86-64" : "x86-32",
			 img->arch);
		break;
	case PV_SITE_CLASS:
		pv_error(img, t->r, "%s: class %u is out of range (valid: 1..%d)",
			 rec_where, rec->klass, PREVIRT_CLASS_COUNT - 1);
		break;
	case PV_SITE_FLAGS:
		pv_error(img, t->r, "%s: unknown flags 0x%02x", rec_where,
			 rec->flags & ~PREVIRT_F_KNOWN);
		break;
	case PV_SITE_RESERVED:
		pv_error(img, t->r, "%s: slot %u and reserved %u must be 0 on x86",
			 rec_where, rec->slot, rec->reserved);
		break;
	case PV_SITE_LENGTH:
		if (rec->insn_len == 0 || rec->insn_len > 15)
			pv_error(img, t->r, "%s: insn_len %u is not an x86 instruction length (1..15)",
				 rec_where, rec->insn_len);
		else
			pv_error(img, t->r, "%s: sled_len %u breaks the sled budget: insn_len %u needs sled_len %u",
				 rec_where, rec->sled_len, rec->insn_len, want);
		break;
	default:
		pv_error(img, t->r, "%s: %s", rec_where, pv_site_fault_text(f));
		break;
	}
	return false;
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
		pv_record_where(site, rec_where, sizeof(rec_where));

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

void pv_record_where(const struct pv_site *site, char *buf, size_t size)
{
	snprintf(buf, size, "%s+0x%llx (record %u)", bfd_section_name(site->table),
		 (unsigned long long)site->rec_off, site->index);
}

/*
 * Two sleds sharing a byte cannot both be rewritten: whichever the runtime
 * patches second would corrupt the first. As at boot (libprevirt/overlap.c),
 * every record whose sled shares a byte with another placed record's sled
 * is refused, the earlier one too; records refused for their own fields
 * or place do not count.
 */
static void check_overlaps(struct pv_image *img, struct pv_result *r)
{
	size_t n = 0;
	bool *hit;

	while (n < r->n_sites && r->sites[n].valid)
		n++;
	hit = pv_xmalloc(n ? n * sizeof(*hit) : 1);
	memset(hit, 0, n * sizeof(*hit));
	for (size_t i = 0; i < n; i++) {
		const struct pv_site *a = &r->sites[i];

		for (size_t j = i + 1; j < n && r->sites[j].sec == a->sec &&
		     r->sites[j].off < a->off + a->rec.sled_len; j++) {
			const struct pv_site *b = &r->sites[j];
			char wa[160], wb[160], ra[160], rb[160];

			pv_where(img, a->sec, a->off, wa, sizeof(wa));
			pv_where(img, b->sec, b->off, wb, sizeof(wb));
			pv_record_where(a, ra, sizeof(ra));
			pv_record_where(b, rb, sizeof(rb));
			pv_error(img, r, "%s: sled at %s overlaps the sled at %s (%u bytes) of %s",
				 rb, wb, wa, a->rec.sled_len, ra);
			if (!hit[i])
				pv_error(img, r, "%s: sled at %s overlaps the sled at %s (%u bytes) of %s",
					 ra, wa, wb, b->rec.sled_len, rb);
			hit[i] = hit[j] = true;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (hit[i])
			r->sites[i].valid = false;
	free(hit);
}

static const bfd_byte *code_bytes(struct pv_image *img, struct code_cache *c, asection *sec)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->sec[i] == sec)
			return c->bytes[i];
	c->sec = pv_xrealloc(c->sec, (c->n + 1) * sizeof(*c->sec));
	c->bytes = pv_xrealloc(c->bytes, (c->n + 1) * sizeof(*c->bytes));
	c->sec[c->n] = sec;
	if (!bfd_malloc_and_get_section(img->abfd, sec, &c->bytes[c->n]))
		c->bytes[c->n] = NULL;
	return c->bytes[c->n++];
}

/* Does a placed record other than self claim byte off of sec for its sled? */
static bool claimed(const struct pv_result *r, const struct pv_site *self, const asection *sec,
		    bfd_vma off)
{
	for (size_t i = 0; i < r->n_sites && r->sites[i].placed; i++) {
		const struct pv_site *t = &r->sites[i];

		if (t != self && t->sec == sec && off >= t->off && off - t->off < t->rec.sled_len)
			return true;
	}
	return false;
}

/*
 * The byte the processor would run just before the sled: inside its
 * section, or, at the start of a section of a linked file, the last byte
 * of the code section that ends there. In a relocatable object nothing is
 * known to precede a section; the runtime, which sees the linked text,
 * applies the same rule to what is there then. A byte of another placed
 * record's sled is not read, as at boot (libprevirt/overlap.c): it is
 * that sled's end, checked on its own.
 */
static int byte_before(struct pv_image *img, const struct pv_result *r, struct code_cache *c,
		       const struct pv_site *site, const bfd_byte *bytes)
{
	bfd_vma vma;

	if (site->off > 0)
		return claimed(r, site, site->sec, site->off - 1) ? PV_SITE_NO_BYTE
								  : bytes[site->off - 1];
	vma = bfd_section_vma(site->sec);
	if (img->relocatable || vma == 0)
		return PV_SITE_NO_BYTE;
	for (asection *s = img->abfd->sections; s; s = s->next) {
		bfd_vma start = bfd_section_vma(s);
		const bfd_byte *b;

		if (s == site->sec || !(s->flags & SEC_CODE) || !(s->flags & SEC_HAS_CONTENTS) ||
		    vma - 1 < start || vma - 1 - start >= bfd_section_size(s))
			continue;
		if (claimed(r, site, s, vma - 1 - start))
			return PV_SITE_NO_BYTE;
		b = code_bytes(img, c, s);
		return b ? b[vma - 1 - start] : PV_SITE_NO_BYTE;
	}
	return PV_SITE_NO_BYTE;
}

/* The first instruction of the padding that is not a NOP, for the message. */
static bfd_vma bad_padding_at(struct pv_disasm *d, const struct pv_site *site,
			      const bfd_byte *bytes, int bits, const char **text)
{
	bfd_vma off = site->off + previrt_site_pad_offset(&site->rec);
	bfd_vma end = off + site->rec.sled_len - site->rec.insn_len;

	while (off < end) {
		int len = pv_disasm_one(d, off, text);

		if (len < 0 || off + (bfd_vma)len > end ||
		    !pv_x86_is_padding(bytes + off, (size_t)len, bits))
			return off;
		off += (bfd_vma)len;
	}
	*text = "?";
	return off;
}

/* The sled's bytes, judged by the shared validator; says why not. */
static bool check_bytes(struct pv_image *img, struct pv_result *r, struct code_cache *c,
			struct pv_disasm *d, const struct pv_site *site)
{
	const struct previrt_site *rec = &site->rec;
	const bfd_byte *bytes = code_bytes(img, c, site->sec);
	int bits = rec->arch == PREVIRT_ARCH_X86_64 ? 64 : 32;
	char rw[160], where[160];
	struct pv_x86_insn insn;
	const char *text = "?";
	int before, dec_err, len = -1;
	enum pv_site_fault f;

	pv_record_where(site, rw, sizeof(rw));
	pv_where(img, site->sec, site->off, where, sizeof(where));
	if (!bytes) {
		pv_error(img, r, "%s: cannot read the section %s of its sled: %s", rw,
			 bfd_section_name(site->sec), bfd_errmsg(bfd_get_error()));
		return false;
	}
	before = byte_before(img, r, c, site, bytes);
	f = pv_site_check_bytes(rec, bytes + site->off, before, &insn, &dec_err);
	if (f == PV_SITE_OK)
		return true;
	if (d) {
		/* the recorded instruction, wherever the sled's shape puts it */
		pv_disasm_section(d, site->sec, bytes, bfd_section_size(site->sec));
		len = pv_disasm_one(d, site->off + previrt_site_insn_offset(rec), &text);
	}
	switch (f) {
	case PV_SITE_DECODE:
		pv_error(img, r, "%s: the sled at %s does not start with an instruction the runtime decodes, '%s' (%s)",
			 rw, where, text, pv_x86_strerror(dec_err));
		break;
	case PV_SITE_INSN_LEN:
		pv_error(img, r, "%s: insn_len is %u, but the instruction at %s, '%s', is %d byte%s long",
			 rw, rec->insn_len, where, text, len, len == 1 ? "" : "s");
		break;
	case PV_SITE_INSN_CLASS:
		if (rec->klass == PREVIRT_CLASS_MMIO)
			pv_error(img, r, "%s: class mmio, but the instruction at %s, '%s', is not a memory move in a site flagged device",
				 rw, where, text);
		else if (insn.klass == PREVIRT_CLASS_INVALID)
			pv_error(img, r, "%s: class %s, but the instruction at %s, '%s', is not sensitive",
				 rw, previrt_class_name(rec->klass), where, text);
		else
			pv_error(img, r, "%s: class %s, but the instruction at %s, '%s', is class %s",
				 rw, previrt_class_name(rec->klass), where, text,
				 previrt_class_name(insn.klass));
		break;
	case PV_SITE_PADDING: {
		bfd_vma at = d ? bad_padding_at(d, site, bytes, bits, &text) : site->off;

		pv_where(img, site->sec, at, where, sizeof(where));
		pv_error(img, r, "%s: sled padding at %s is '%s', not a no-op", rw, where, text);
		break;
	}
	case PV_SITE_PREFIX_APART:
		pv_error(img, r, "%s: the byte before the sled at %s is 0x%02x, which the processor may take as a prefix of '%s': the sled must start at the instruction's first prefix",
			 rw, where, (unsigned int)before, text);
		break;
	default:
		pv_error(img, r, "%s: sled at %s: %s", rw, where, pv_site_fault_text(f));
		break;
	}
	return false;
}

void pv_sites_read(struct pv_image *img, struct pv_result *r)
{
	struct code_cache cache = { NULL, NULL, 0 };
	struct pv_disasm *d;

	for (asection *sec = img->abfd->sections; sec; sec = sec->next)
		if (strcmp(bfd_section_name(sec), PREVIRT_SECTION) == 0)
			read_table(img, r, sec);
	if (!r->n_sites)
		return;
	qsort(r->sites, r->n_sites, sizeof(*r->sites), compare_sites);
	for (size_t i = 0; i < r->n_sites; i++)
		r->sites[i].placed = r->sites[i].valid;
	check_overlaps(img, r);
	d = pv_disasm_new(img);
	for (size_t i = 0; i < r->n_sites && r->sites[i].placed; i++)
		if (r->sites[i].valid)
			r->sites[i].valid = check_bytes(img, r, &cache, d, &r->sites[i]);
	pv_disasm_free(d);
	for (size_t i = 0; i < cache.n; i++)
		free(cache.bytes[i]);
	free(cache.sec);
	free(cache.bytes);
	/* Refused records move behind the valid ones again. */
	qsort(r->sites, r->n_sites, sizeof(*r->sites), compare_sites);
}
