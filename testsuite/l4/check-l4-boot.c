/* SPDX-License-Identifier: MIT */
/*
 * What previrt-l4-monitor reads from outside (l4-boot.c): the X.2 generic
 * boot information with its module records, and the guest image, an ELF32
 * i386 executable with the previrt L4 entry note. Both are built here byte
 * by byte from their layouts, then broken in the ways a bad input would be.
 */
#include <stdlib.h>
#include <string.h>
#include "check-l4.h"
#include "l4-boot.h"

static unsigned char buf[4096];

static void w32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void w16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

/* Header at 0, then: a simple executable (type 2, 64 bytes), two modules. */
static uint32_t build_bootinfo(void)
{
	uint32_t off = 32, n = 0;

	memset(buf, 0, sizeof(buf));
	w32(buf, L4_BOOTINFO_MAGIC);
	w32(buf + 4, 1);
	w32(buf + 12, off);
	/* an executable record: skipped */
	w32(buf + off, 2);
	w32(buf + off + 4, 1);
	w32(buf + off + 8, 64);
	off += 64, n++;
	for (int i = 0; i < 2; i++) {
		const char *line = i ? "second" : "guest previrt=l4";

		w32(buf + off, L4_BOOTREC_MODULE);
		w32(buf + off + 4, 1);
		w32(buf + off + 12, 0x800000u + 0x10000u * (uint32_t)i);
		w32(buf + off + 16, 0x1234u + (uint32_t)i);
		w32(buf + off + 20, 24);
		strcpy((char *)buf + off + 24, line);
		uint32_t sz = (24 + (uint32_t)strlen(line) + 1 + 3) & ~3u;
		w32(buf + off + 8, sz);
		off += sz, n++;
	}
	w32(buf + 8, off);
	w32(buf + 16, n);
	return off;
}

START_TEST(bootinfo_modules)
{
	struct l4_boot_module m;
	uint32_t size = build_bootinfo();

	ck_assert_int_eq(l4_boot_module(buf, size, 0, &m), 0);
	ck_assert_uint_eq(m.start, 0x800000u);
	ck_assert_uint_eq(m.size, 0x1234u);
	ck_assert_str_eq(m.cmdline, "guest previrt=l4");
	ck_assert_int_eq(l4_boot_module(buf, size, 1, &m), 0);
	ck_assert_str_eq(m.cmdline, "second");
	ck_assert_int_eq(l4_boot_module(buf, size, 2, &m), -1);
}
END_TEST

START_TEST(bootinfo_broken)
{
	struct l4_boot_module m;
	uint32_t size = build_bootinfo();

	ck_assert_int_eq(l4_boot_module(buf, 16, 0, &m), -1);		/* truncated header */
	w32(buf, 0x12345678);
	ck_assert_int_eq(l4_boot_module(buf, size, 0, &m), -1);	/* magic */
	size = build_bootinfo();
	w32(buf + 8, sizeof(buf) + 1);
	ck_assert_int_eq(l4_boot_module(buf, sizeof(buf), 0, &m), -1);	/* size beyond buffer */
	size = build_bootinfo();
	w32(buf + 32 + 8, 0);						/* a record that loops */
	ck_assert_int_eq(l4_boot_module(buf, size, 0, &m), -1);
	size = build_bootinfo();
	w32(buf + 96 + 20, 0x10000);					/* command line outside */
	ck_assert_int_eq(l4_boot_module(buf, size, 0, &m), -1);
	size = build_bootinfo();
	memset(buf + 96 + 24, 'x', size - 96 - 24);			/* unterminated */
	ck_assert_int_eq(l4_boot_module(buf, size, 0, &m), -1);
}
END_TEST

#define EHDR	52
#define PHDR	32
#define MEM	0x10000u

/* One PT_LOAD (8 bytes of file, 16 in memory, at paddr 0x1000) and our note. */
static uint32_t build_elf(void)
{
	unsigned char *e = buf, *ph = buf + EHDR, *note = buf + 0x100, *data = buf + 0x200;

	memset(buf, 0, sizeof(buf));
	memcpy(e, "\177ELF", 4);
	e[4] = 1, e[5] = 1, e[6] = 1;
	w16(e + 16, 2);		/* ET_EXEC */
	w16(e + 18, 3);		/* EM_386 */
	w32(e + 28, EHDR);
	w16(e + 42, PHDR);
	w16(e + 44, 2);
	w32(ph, 1);		/* PT_LOAD */
	w32(ph + 4, 0x200);
	w32(ph + 8, 0x80001000u);
	w32(ph + 12, 0x1000);
	w32(ph + 16, 8);
	w32(ph + 20, 16);
	w32(ph + PHDR, 4);	/* PT_NOTE */
	w32(ph + PHDR + 4, 0x100);
	w32(ph + PHDR + 16, 0x24);
	/* a foreign note first, then ours */
	w32(note, 4), w32(note + 4, 4), w32(note + 8, L4_NOTE_ENTRY);
	memcpy(note + 12, "Xen", 4);
	w32(note + 16, 0xdeadbeef);
	w32(note + 20, 8), w32(note + 24, 8), w32(note + 28, L4_NOTE_ENTRY);
	memcpy(note + 32, "previrt", 8);
	w32(note + 40, 0x80001004u);
	w32(note + 44, 0x80001008u);
	w32(ph + PHDR + 16, 48);
	memcpy(data, "previrt!", 8);
	return 0x208;
}

START_TEST(image_loads)
{
	unsigned char *mem = malloc(MEM);
	struct l4_image img;
	uint32_t size = build_elf();

	ck_assert_ptr_nonnull(mem);
	memset(mem, 0xaa, MEM);
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_OK);
	ck_assert_mem_eq(mem + 0x1000, "previrt!", 8);
	for (int i = 8; i < 16; i++)
		ck_assert_uint_eq(mem[0x1000 + i], 0);		/* bss zeroed */
	ck_assert_uint_eq(mem[0x1010], 0xaa);			/* and no more */
	ck_assert_uint_eq(img.vcpu_entry, 0x80001004u);
	ck_assert_uint_eq(img.vmm_entry, 0x80001008u);
	ck_assert_uint_eq(img.phys_end, 0x1010);
	free(mem);
}
END_TEST

START_TEST(image_refused_untouched)
{
	unsigned char *mem = malloc(MEM);
	struct l4_image img;
	uint32_t size;

	ck_assert_ptr_nonnull(mem);
	memset(mem, 0xaa, MEM);
	size = build_elf();
	buf[4] = 2;						/* ELFCLASS64 */
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_NOT_ELF32);
	size = build_elf();
	w16(buf + 18, 62);					/* x86-64 */
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_NOT_ELF32);
	size = build_elf();
	w32(buf + 28, size);					/* headers past the end */
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_BAD_HEADERS);
	size = build_elf();
	w32(buf + EHDR + 12, MEM - 8);				/* segment past guest memory */
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_BAD_SEGMENT);
	size = build_elf();
	w32(buf + EHDR + 16, 0x1000);				/* file part past the file */
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_BAD_SEGMENT);
	size = build_elf();
	memcpy(buf + 0x100 + 32, "previrX", 8);			/* no note of ours */
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_NO_NOTE);
	size = build_elf();
	w32(buf + 0x100 + 4, 0x7fffffff);			/* a note bigger than its segment */
	ck_assert_int_eq(l4_image_load(buf, size, mem, MEM, &img), L4_IMAGE_NO_NOTE);
	for (uint32_t i = 0; i < MEM; i++)
		ck_assert_uint_eq(mem[i], 0xaa);		/* nothing was written */
	ck_assert_str_ne(l4_image_error_name(L4_IMAGE_NO_NOTE), "unknown error");
	free(mem);
}
END_TEST

Suite *l4_boot_suite(void)
{
	Suite *s = suite_create("l4-boot");
	TCase *tc = tcase_create("boot");

	tcase_add_test(tc, bootinfo_modules);
	tcase_add_test(tc, bootinfo_broken);
	tcase_add_test(tc, image_loads);
	tcase_add_test(tc, image_refused_untouched);
	suite_add_tcase(s, tc);
	return s;
}
