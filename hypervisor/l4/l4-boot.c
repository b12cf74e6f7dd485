/* SPDX-License-Identifier: MIT */
/* Boot information, the guest image, the start record (see l4-boot.h). */
#include "l4-boot.h"

static l4_word_t rd32(const unsigned char *p)
{
	return (l4_word_t)p[0] | (l4_word_t)p[1] << 8 | (l4_word_t)p[2] << 16 |
	       (l4_word_t)p[3] << 24;
}

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* [off, off + len) inside [0, size), without overflow. */
static int inside(l4_word_t off, l4_word_t len, l4_word_t size)
{
	return off <= size && len <= size - off;
}

int l4_boot_module(const void *bi, l4_word_t bytes, unsigned int index, struct l4_boot_module *m)
{
	const unsigned char *p = bi;
	l4_word_t off, n, size;

	if (!inside(0, 20, bytes) || rd32(p) != L4_BOOTINFO_MAGIC)
		return -1;
	size = rd32(p + 8);
	if (size > bytes)
		return -1;
	off = rd32(p + 12);
	n = rd32(p + 16);
	for (l4_word_t i = 0; i < n; i++) {
		if (!inside(off, 12, size))
			return -1;
		l4_word_t type = rd32(p + off), next = rd32(p + off + 8);

		if (type == L4_BOOTREC_MODULE) {
			if (!inside(off, 24, size))
				return -1;
			if (index-- == 0) {
				l4_word_t c = off + rd32(p + off + 20);
				l4_word_t end = c;

				while (end < size && p[end])
					end++;
				if (c >= size || end >= size)
					return -1;	/* no terminated command line */
				m->start = rd32(p + off + 12);
				m->size = rd32(p + off + 16);
				m->cmdline = (const char *)p + c;
				return 0;
			}
		}
		if (next < 12)
			return -1;		/* would loop, or go backwards */
		off += next;
	}
	return -1;
}

#define EI_CLASS32	1
#define EI_DATA_LSB	1
#define ET_EXEC		2
#define EM_386		3
#define PT_LOAD		1
#define PT_NOTE		4
#define PHDR_SIZE	32

struct phdr {
	l4_word_t type, offset, vaddr, paddr, filesz, memsz;
};

static void read_phdr(const unsigned char *p, struct phdr *h)
{
	h->type = rd32(p);
	h->offset = rd32(p + 4);
	h->vaddr = rd32(p + 8);
	h->paddr = rd32(p + 12);
	h->filesz = rd32(p + 16);
	h->memsz = rd32(p + 20);
}

/* Our entry note in the PT_NOTE segment h, if there; 0 when found. */
static int find_note(const unsigned char *e, const struct phdr *h, struct l4_image *out)
{
	l4_word_t off = 0;

	while (off + 12 <= h->filesz) {
		const unsigned char *n = e + h->offset + off;
		l4_word_t namesz = rd32(n), descsz = rd32(n + 4), type = rd32(n + 8);
		l4_word_t name_pad = (namesz + 3) & ~3u, desc_pad = (descsz + 3) & ~3u;

		if (namesz > h->filesz || descsz > h->filesz ||
		    !inside(off + 12, name_pad + desc_pad, h->filesz))
			return -1;
		if (type == L4_NOTE_ENTRY && namesz == sizeof(L4_NOTE_NAME) && descsz >= 8) {
			const char *name = (const char *)n + 12;
			unsigned int i;

			for (i = 0; i < sizeof(L4_NOTE_NAME) && name[i] == L4_NOTE_NAME[i]; i++)
				;
			if (i == sizeof(L4_NOTE_NAME)) {
				out->vcpu_entry = rd32(n + 12 + name_pad);
				out->vmm_entry = rd32(n + 12 + name_pad + 4);
				return 0;
			}
		}
		off += 12 + name_pad + desc_pad;
	}
	return -1;
}

int l4_image_load(const void *elf, l4_word_t size, unsigned char *mem, l4_word_t mem_size,
		  struct l4_image *out)
{
	const unsigned char *e = elf;
	l4_word_t phoff, phnum, i;
	struct phdr h;
	int noted = 0;

	if (!inside(0, 52, size) || rd32(e) != 0x464c457fu || e[4] != EI_CLASS32 ||
	    e[5] != EI_DATA_LSB || rd16(e + 16) != ET_EXEC || rd16(e + 18) != EM_386)
		return L4_IMAGE_NOT_ELF32;
	phoff = rd32(e + 28);
	phnum = rd16(e + 44);
	if (rd16(e + 42) != PHDR_SIZE || !inside(phoff, phnum * PHDR_SIZE, size))
		return L4_IMAGE_BAD_HEADERS;
	out->phys_end = 0;
	/* every check first: a broken image writes nothing */
	for (i = 0; i < phnum; i++) {
		read_phdr(e + phoff + i * PHDR_SIZE, &h);
		if (h.type == PT_NOTE && inside(h.offset, h.filesz, size) && !noted)
			noted = find_note(e, &h, out) == 0;
		if (h.type != PT_LOAD)
			continue;
		if (!inside(h.offset, h.filesz, size) || h.filesz > h.memsz ||
		    !inside(h.paddr, h.memsz, mem_size))
			return L4_IMAGE_BAD_SEGMENT;
		if (h.paddr + h.memsz > out->phys_end)
			out->phys_end = h.paddr + h.memsz;
	}
	if (!noted)
		return L4_IMAGE_NO_NOTE;
	for (i = 0; i < phnum; i++) {
		read_phdr(e + phoff + i * PHDR_SIZE, &h);
		if (h.type != PT_LOAD)
			continue;
		for (l4_word_t b = 0; b < h.memsz; b++)
			mem[h.paddr + b] = b < h.filesz ? e[h.offset + b] : 0;
	}
	return L4_IMAGE_OK;
}

const char *l4_image_error_name(int err)
{
	switch (err) {
	case L4_IMAGE_OK: return "ok";
	case L4_IMAGE_NOT_ELF32: return "not an ELF32 i386 executable";
	case L4_IMAGE_BAD_HEADERS: return "program headers outside the file";
	case L4_IMAGE_BAD_SEGMENT: return "a segment outside the file or guest memory";
	case L4_IMAGE_NO_NOTE: return "no previrt L4 entry note (is it linked with libprevirt-l4.a?)";
	}
	return "unknown error";
}
