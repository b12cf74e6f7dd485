// SPDX-License-Identifier: MIT
/*
 * verdict-compare FILE...: do previrt-audit and the runtime give the same
 * verdict on every record?
 *
 * For each image (an object, an executable, each member of an archive)
 * this runs the audit's own reading of the table (tools/sites.c, the code
 * previrt-audit runs), then lays the image's code sections out in memory
 * as a linked kernel would hold them and hands the same records, in table
 * order, to the runtime's patcher (previrt_patch_range, native backend),
 * twice: with memory lent (sorted overlap check) and without (pairwise).
 * The runtime's refusals are read from its log ("site #N ... refused").
 * Every record must be valid for both or refused by both.
 *
 * Layout: code sections one after the other, in address order; a section
 * that starts where the previous one ends (in a linked file) follows it
 * directly, any other after a gap of int3 bytes, which stand for "nothing
 * before this section" (0xcc is no prefix).  A record whose sled the
 * audit could not place in a code section is pointed outside the text
 * bounds, where the runtime refuses it without reading it: the place of a
 * sled in a file is the audit's to find, not the runtime's.  A 32-bit
 * image is judged as by a 32-bit runtime: its 64-bit records are refused
 * before anything else (this program is a 64-bit one, and the runtime's
 * field check takes its own width).
 *
 * Output: one line per disagreement and one summary per image; exit 0
 * when they agree everywhere, 1 when they do not, 2 on a usage error.
 * Files that are not images (fuzz inputs often are not) are counted and
 * skipped.  Entry point for the fuzz corpus: verdict-compare corpus/ *.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include <previrt/backend.h>

extern const struct previrt_backend previrt_backend_native;

#define GAP 32		/* int3 bytes between sections that do not touch */
#define TABLE_ROOM 64	/* room before the text where refused records point */

struct log {
	char line[512];
	size_t used;
	unsigned char *refused;	/* one per record */
	unsigned long n;
};

struct stats {
	unsigned long images, records, valid, disagree, skipped;
};

static void take_line(struct log *lg)
{
	unsigned long i;

	lg->line[lg->used] = '\0';
	if (sscanf(lg->line, "previrt: site #%lu ", &i) == 1 && strstr(lg->line, ": refused: ") &&
	    i < lg->n)
		lg->refused[i] = 1;
	lg->used = 0;
}

static void catch_log(const char *s, unsigned long n, void *ctx)
{
	struct log *lg = ctx;

	for (unsigned long k = 0; k < n; k++) {
		if (s[k] == '\n' || lg->used + 1 >= sizeof(lg->line))
			take_line(lg);
		if (s[k] != '\n')
			lg->line[lg->used++] = s[k];
	}
}

static void *lend(unsigned long size, void *ctx)
{
	(void)ctx;
	return malloc(size);
}

static void give_back(void *p, unsigned long size, void *ctx)
{
	(void)size;
	(void)ctx;
	free(p);
}

static int by_vma(const void *pa, const void *pb)
{
	const asection *a = *(asection *const *)pa, *b = *(asection *const *)pb;

	if (bfd_section_vma(a) != bfd_section_vma(b))
		return bfd_section_vma(a) < bfd_section_vma(b) ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static int by_table_order(const void *pa, const void *pb)
{
	const struct pv_site *a = *(const struct pv_site *const *)pa;
	const struct pv_site *b = *(const struct pv_site *const *)pb;

	if (a->table->index != b->table->index)
		return a->table->index < b->table->index ? -1 : 1;
	return a->rec_off < b->rec_off ? -1 : a->rec_off > b->rec_off;
}

/* The code sections, in address order, and where each lands in the text. */
struct layout {
	asection **sec;
	size_t *at;
	size_t n, size;
};

static void lay_out(struct pv_image *img, struct layout *l)
{
	size_t end = 0;

	l->n = 0;
	l->sec = pv_xmalloc((bfd_count_sections(img->abfd) + 1) * sizeof(*l->sec));
	for (asection *s = img->abfd->sections; s; s = s->next)
		if ((s->flags & SEC_CODE) && (s->flags & SEC_HAS_CONTENTS) && bfd_section_size(s))
			l->sec[l->n++] = s;
	qsort(l->sec, l->n, sizeof(*l->sec), by_vma);
	l->at = pv_xmalloc((l->n + 1) * sizeof(*l->at));
	for (size_t i = 0; i < l->n; i++) {
		bool touches = i && !img->relocatable &&
			       bfd_section_vma(l->sec[i - 1]) + bfd_section_size(l->sec[i - 1]) ==
			       bfd_section_vma(l->sec[i]);

		l->at[i] = end + (touches ? 0 : GAP);
		end = l->at[i] + bfd_section_size(l->sec[i]);
	}
	l->size = end + GAP;
}

static long place_of(const struct layout *l, const asection *sec)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->sec[i] == sec)
			return (long)l->at[i];
	return -1;
}

/* Run the runtime over the records; refused[i] set for each it refused. */
static int runtime_verdicts(struct pv_image *img, struct pv_site **order, size_t n,
			    const struct layout *l, unsigned char *text0, bool lend_memory,
			    unsigned char *refused)
{
	size_t table_bytes = n * sizeof(struct previrt_site);
	unsigned char *mem = pv_xmalloc(TABLE_ROOM + table_bytes + l->size);
	struct previrt_site *tab = (struct previrt_site *)(mem + TABLE_ROOM);
	unsigned char *text = mem + TABLE_ROOM + table_bytes;
	struct log lg = { .used = 0, .refused = refused, .n = n };
	struct previrt_env env;
	struct previrt_stats st;

	memcpy(text, text0, l->size);
	memset(refused, 0, n);
	for (size_t i = 0; i < n; i++) {
		const struct pv_site *site = order[i];
		long at = site->sec ? place_of(l, site->sec) : -1;
		unsigned char *sled = mem;	/* outside the text: refused unread */

		tab[i] = site->rec;
		if (at >= 0 && site->off < bfd_section_size(site->sec) &&
		    bfd_section_size(site->sec) - site->off >= site->rec.sled_len)
			sled = text + at + site->off;
		/* a 32-bit runtime refuses 64-bit records for their arch, counting them nowhere */
		if (img->arch == PREVIRT_ARCH_X86_32 && site->rec.arch == PREVIRT_ARCH_X86_64)
			sled = mem;
		tab[i].sled_rel = (int)(sled - (unsigned char *)&tab[i].sled_rel);
	}
	memset(&env, 0, sizeof(env));
	env.write = catch_log;
	env.ctx = &lg;
	env.text_lo = (unsigned long)text;
	env.text_hi = (unsigned long)text + l->size;
	if (lend_memory) {
		env.alloc = lend;
		env.release = give_back;
	}
	memset(&st, 0, sizeof(st));
	previrt_patch_range(tab, tab + n, &previrt_backend_native, &env, &st);
	if (lg.used)
		take_line(&lg);
	free(mem);
	return (int)st.refused;
}

static void compare_image(struct pv_image *img, struct stats *t)
{
	struct pv_result r;
	struct layout l;
	struct pv_site **order;
	unsigned char *text0, *with, *without;
	size_t n;

	memset(&r, 0, sizeof(r));
	pv_sites_read(img, &r);
	n = r.n_sites;
	t->images++;
	order = pv_xmalloc((n + 1) * sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = &r.sites[i];
	qsort(order, n, sizeof(*order), by_table_order);

	lay_out(img, &l);
	text0 = pv_xmalloc(l.size);
	memset(text0, 0xcc, l.size);
	for (size_t i = 0; i < l.n; i++) {
		bfd_byte *b;

		if (bfd_malloc_and_get_section(img->abfd, l.sec[i], &b)) {
			memcpy(text0 + l.at[i], b, bfd_section_size(l.sec[i]));
			free(b);
		}
	}
	with = pv_xmalloc(n + 1);
	without = pv_xmalloc(n + 1);
	runtime_verdicts(img, order, n, &l, text0, true, with);
	runtime_verdicts(img, order, n, &l, text0, false, without);

	unsigned long valid = 0, disagree = 0;

	for (size_t i = 0; i < n; i++) {
		const struct pv_site *s = order[i];
		bool rt = !with[i];

		valid += s->valid;
		if (with[i] != without[i] || rt != s->valid) {
			disagree++;
			printf("%s: %s+0x%llx (record %u, site #%zu): audit %s, runtime %s%s\n",
			       img->name, bfd_section_name(s->table),
			       (unsigned long long)s->rec_off, s->index, i,
			       s->valid ? "valid" : "refused", rt ? "valid" : "refused",
			       with[i] != without[i] ? " (the two overlap checks differ)" : "");
		}
	}
	printf("%s: %zu records, %lu valid, %s\n", img->name, n, valid,
	       disagree ? "DISAGREE" : "same verdicts");
	t->records += n;
	t->valid += valid;
	t->disagree += disagree;
	free(with);
	free(without);
	free(text0);
	free(l.sec);
	free(l.at);
	free(order);
	pv_result_free(&r);
}

static void compare_object(bfd *abfd, const char *name, struct stats *t)
{
	struct pv_image img;
	struct pv_result r;

	memset(&img, 0, sizeof(img));
	memset(&r, 0, sizeof(r));
	if (bfd_check_format(abfd, bfd_object) && pv_image_setup(&img, abfd, name, &r))
		compare_image(&img, t);
	else
		t->skipped++;
	pv_result_free(&r);
	pv_image_free(&img);
}

static void compare_file(const char *path, struct stats *t)
{
	bfd *abfd = bfd_openr(path, NULL);
	bfd *member, *prev = NULL;

	if (!abfd) {
		t->skipped++;
		return;
	}
	if (!bfd_check_format(abfd, bfd_archive)) {
		compare_object(abfd, path, t);
		bfd_close(abfd);
		return;
	}
	while ((member = bfd_openr_next_archived_file(abfd, prev)) != NULL) {
		char *name = pv_xasprintf("%s(%s)", path, bfd_get_filename(member));

		if (prev)
			bfd_close(prev);
		compare_object(member, name, t);
		free(name);
		prev = member;
	}
	if (prev)
		bfd_close(prev);
	bfd_close(abfd);
}

int main(int argc, char **argv)
{
	struct stats t = { 0, 0, 0, 0, 0 };

	if (argc < 2) {
		fprintf(stderr, "usage: verdict-compare FILE...\n");
		return 2;
	}
	if (bfd_init() != BFD_INIT_MAGIC)
		return 2;
	pv_progname = "verdict-compare";
	for (int i = 1; i < argc; i++)
		compare_file(argv[i], &t);
	printf("verdict-compare: %lu images, %lu records (%lu valid), %lu disagreements, %lu files skipped\n",
	       t.images, t.records, t.valid, t.disagree, t.skipped);
	return t.disagree ? 1 : 0;
}
