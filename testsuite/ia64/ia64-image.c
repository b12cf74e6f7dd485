// SPDX-License-Identifier: MIT
/*
 * ia64-image: run libprevirt's IA-64 code on the host over an IA-64 ELF
 * file linked by ia64-linux-gnu-ld, so that the tests can compare what it
 * reads and writes with what ia64-linux-gnu-objdump says.
 *
 *   ia64-image bundles FILE          every bundle of the code sections:
 *                                    "ADDR UNITS STOPS" (decoded here), and
 *                                    exit 1 if one does not re-encode to itself
 *   ia64-image sites FILE            every previrt_sites record:
 *                                    "ADDR CLASS SLOT SLED_LEN INSN_LEN QP VERDICT"
 *   ia64-image patch FILE OUT BACKEND HANDLER
 *                                    patch every site for BACKEND (native|test),
 *                                    HANDLER a symbol name; write OUT; exit 1
 *                                    unless every written bundle was flushed
 *
 * Host-only: the image is never run, only read and rewritten.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "previrt/ia64.h"

struct image {
	unsigned char *data;
	size_t size;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;
};

static int load(const char *path, struct image *im)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	im->data = malloc((size_t)n);
	im->size = (size_t)n;
	if (!im->data || fread(im->data, 1, im->size, f) != im->size) {
		fclose(f);
		return -1;
	}
	fclose(f);
	im->eh = (Elf64_Ehdr *)im->data;
	if (im->size < sizeof(Elf64_Ehdr) || memcmp(im->eh->e_ident, ELFMAG, SELFMAG) ||
	    im->eh->e_ident[EI_CLASS] != ELFCLASS64 || im->eh->e_machine != EM_IA_64 ||
	    im->eh->e_shoff + (size_t)im->eh->e_shnum * sizeof(Elf64_Shdr) > im->size)
		return -1;
	im->sh = (Elf64_Shdr *)(im->data + im->eh->e_shoff);
	return 0;
}

static const char *sec_name(const struct image *im, const Elf64_Shdr *s)
{
	return (const char *)im->data + im->sh[im->eh->e_shstrndx].sh_offset + s->sh_name;
}

static const Elf64_Shdr *find_section(const struct image *im, const char *name)
{
	for (int i = 0; i < im->eh->e_shnum; i++)
		if (strcmp(sec_name(im, &im->sh[i]), name) == 0)
			return &im->sh[i];
	return NULL;
}

/* Host pointer to the code at run address addr, n bytes, or NULL. */
static unsigned char *code_at(const struct image *im, uint64_t addr, size_t n)
{
	for (int i = 0; i < im->eh->e_shnum; i++) {
		const Elf64_Shdr *s = &im->sh[i];

		if (s->sh_type == SHT_PROGBITS && (s->sh_flags & SHF_EXECINSTR) &&
		    addr >= s->sh_addr && addr + n <= s->sh_addr + s->sh_size)
			return im->data + s->sh_offset + (addr - s->sh_addr);
	}
	return NULL;
}

static int symbol(const struct image *im, const char *name, uint64_t *value)
{
	const Elf64_Shdr *symtab = find_section(im, ".symtab");
	const Elf64_Sym *sym;
	const char *str;
	size_t n;

	if (!symtab)
		return -1;
	sym = (const Elf64_Sym *)(im->data + symtab->sh_offset);
	str = (const char *)im->data + im->sh[symtab->sh_link].sh_offset;
	n = symtab->sh_size / sizeof(*sym);
	for (size_t i = 0; i < n; i++)
		if (strcmp(str + sym[i].st_name, name) == 0) {
			*value = sym[i].st_value;
			return 0;
		}
	return -1;
}

static int list_bundles(const struct image *im)
{
	int bad = 0;

	for (int i = 0; i < im->eh->e_shnum; i++) {
		const Elf64_Shdr *s = &im->sh[i];

		if (s->sh_type != SHT_PROGBITS || !(s->sh_flags & SHF_EXECINSTR))
			continue;
		for (uint64_t off = 0; off + PREVIRT_IA64_BUNDLE <= s->sh_size;
		     off += PREVIRT_IA64_BUNDLE) {
			const unsigned char *b = im->data + s->sh_offset + off;
			unsigned char again[PREVIRT_IA64_BUNDLE];
			struct pv_ia64_bundle d;
			char units[4] = "???";

			pv_ia64_bundle_decode(b, &d);
			pv_ia64_template_units(d.tmpl, units);
			pv_ia64_bundle_encode(&d, again);
			if (memcmp(b, again, sizeof(again))) {
				printf("# %#llx: does not re-encode\n",
				       (unsigned long long)(s->sh_addr + off));
				bad = 1;
			}
			printf("%llx %s %u\n", (unsigned long long)(s->sh_addr + off), units,
			       pv_ia64_template_stops(d.tmpl));
		}
	}
	return bad;
}

struct flush_log {
	uint64_t addr[4096];
	unsigned long len[4096];
	unsigned int n;
};

static void record_flush(void *ctx, uint64_t addr, unsigned long len)
{
	struct flush_log *log = ctx;

	if (log->n < 4096) {
		log->addr[log->n] = addr;
		log->len[log->n] = len;
		log->n++;
	}
}

static int flushed(const struct flush_log *log, uint64_t addr, unsigned long len)
{
	for (unsigned int i = 0; i < log->n; i++)
		if (log->addr[i] <= addr && addr + len <= log->addr[i] + log->len[i])
			return 1;
	return 0;
}

/* Walk the records: list them, or patch them when p is not NULL. */
static int walk_sites(struct image *im, const struct pv_ia64_patcher *p, struct flush_log *log)
{
	const Elf64_Shdr *tab = find_section(im, PREVIRT_SECTION);
	unsigned int n, patched = 0, refused = 0;
	int bad = 0;

	if (!tab) {
		printf("# no %s section\n", PREVIRT_SECTION);
		return p ? 1 : 0;
	}
	n = (unsigned int)(tab->sh_size / PREVIRT_SITE_SIZE);
	for (unsigned int i = 0; i < n; i++) {
		const struct previrt_site *s =
			(const struct previrt_site *)(im->data + tab->sh_offset) + i;
		uint64_t rec = tab->sh_addr + (uint64_t)i * PREVIRT_SITE_SIZE;
		uint64_t sled_addr = rec + (uint64_t)(int64_t)s->sled_rel;
		unsigned char *sled = code_at(im, sled_addr, s->sled_len);
		enum pv_ia64_sled_verdict v = PV_IA64_SLED_SHAPE;
		struct pv_ia64_bundle b;
		unsigned int qp = 0;
		char units[3];

		if (sled) {
			v = pv_ia64_check_sled(s, sled, sled_addr);
			pv_ia64_bundle_decode(sled, &b);
			if (s->slot < 3 && pv_ia64_template_units(b.tmpl, units) == 0)
				qp = pv_ia64_qp(b.slot[units[s->slot] == 'L' ? 2 : s->slot]);
		}
		if (!p) {
			printf("%llx %s %u %u %u %u %s\n", (unsigned long long)sled_addr,
			       previrt_class_name(s->klass), s->slot, s->sled_len, s->insn_len, qp,
			       pv_ia64_sled_verdict_name(v));
			continue;
		}
		if (!sled || pv_ia64_patch_site(p, s, sled, sled_addr, i, NULL) != 0) {
			refused++;
			continue;
		}
		patched++;
		if (p->backend == PV_IA64_TEST && !flushed(log, sled_addr, PREVIRT_IA64_BUNDLE)) {
			printf("# %llx: written but not flushed\n", (unsigned long long)sled_addr);
			bad = 1;
		}
	}
	if (p)
		printf("patched %u refused %u flushes %u\n", patched, refused, log->n);
	return bad;
}

int main(int argc, char **argv)
{
	struct image im;

	if (argc < 3 || load(argv[2], &im) < 0) {
		fprintf(stderr, "usage: ia64-image bundles|sites|patch IA64-ELF [OUT native|test HANDLER]\n");
		return 2;
	}
	if (strcmp(argv[1], "bundles") == 0)
		return list_bundles(&im);
	if (strcmp(argv[1], "sites") == 0)
		return walk_sites(&im, NULL, NULL);
	if (strcmp(argv[1], "patch") == 0 && argc == 6) {
		static struct flush_log log;
		struct pv_ia64_patcher p = { .flush_icache = record_flush, .ctx = &log };
		FILE *out;
		int bad;

		p.backend = strcmp(argv[4], "test") == 0 ? PV_IA64_TEST : PV_IA64_NATIVE;
		if (p.backend == PV_IA64_TEST && symbol(&im, argv[5], &p.handler) < 0) {
			fprintf(stderr, "ia64-image: no symbol %s\n", argv[5]);
			return 2;
		}
		bad = walk_sites(&im, &p, &log);
		out = fopen(argv[3], "wb");
		if (!out || fwrite(im.data, 1, im.size, out) != im.size || fclose(out))
			return 2;
		return bad;
	}
	fprintf(stderr, "ia64-image: unknown command %s\n", argv[1]);
	return 2;
}
