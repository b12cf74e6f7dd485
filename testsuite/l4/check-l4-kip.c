/* SPDX-License-Identifier: MIT */
/* Parsing KIP images built from the X.2 layout (kip-image.c), good and broken. */
#include "check-l4.h"
#include "kip-image.h"
#include "l4-kip.h"

static unsigned char kip[4096];
static struct l4_kip k;

/* A PC's map: conventional RAM, the BIOS hole reserved, the kernel's own
 * memory reserved later (later descriptors win), a virtual descriptor. */
static const struct kip_memdesc_spec pc_map[] = {
	{ L4_MEM_CONVENTIONAL, 0, 0x00000000u, 0x0fffffffu },	/* 256 MiB */
	{ L4_MEM_ARCH | 2u << 4, 0, 0x000a0000u, 0x000fffffu },	/* subtype 2 */
	{ L4_MEM_RESERVED, 0, 0x00400000u, 0x004fffffu },
	{ L4_MEM_CONVENTIONAL, 1, 0x00000000u, 0xbfffffffu },	/* user space */
};

START_TEST(parses_a_pistachio_like_kip)
{
	kip_image_build(kip, pc_map, 4);
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_OK);
	ck_assert_uint_eq(k.api_version >> 24, L4_API_VERSION_X2);
	ck_assert_uint_eq(k.kernel_id, 4);
	ck_assert_uint_eq(k.kernel_subid, 2);
	ck_assert_uint_eq(k.supplier, 0x20614b55u);	/* "UKa " */
	ck_assert_uint_eq(k.user_base, 32);
	ck_assert_uint_eq(k.system_base, 16);
	ck_assert_uint_eq(k.thread_bits, 18);
	ck_assert_uint_eq(k.page_size_mask, 1u << 12 | 1u << 22);
	ck_assert_uint_eq(k.page_rights, 7);
	ck_assert_uint_eq(k.processors, 1);
	ck_assert_uint_eq(k.read_precision, 1);
	ck_assert_uint_eq(k.schedule_precision, 1000);
	ck_assert_uint_eq(k.syscall[L4_SYS_SPACE_CONTROL], 0x800);
	ck_assert_uint_eq(k.syscall[L4_SYS_IPC], 0x840);
	ck_assert_uint_eq(k.syscall[L4_SYS_UNMAP], 0x860);
	ck_assert_uint_eq(k.syscall[L4_SYS_SCHEDULE], 0x8a0);
	ck_assert_uint_eq(l4_kip_sigma0(&k), 32u << 14 | 1u);
	ck_assert_uint_eq(l4_kip_root_server(&k), 34u << 14 | 1u);
}
END_TEST

START_TEST(memory_descriptors)
{
	kip_image_build(kip, pc_map, 4);
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_OK);
	ck_assert_uint_eq(k.n_memdesc, 4);
	ck_assert_uint_eq(k.memdesc[0].type, L4_MEM_CONVENTIONAL);
	ck_assert_uint_eq(k.memdesc[0].low, 0);
	ck_assert_uint_eq(k.memdesc[0].high, 0x0fffffffu);
	ck_assert_uint_eq(k.memdesc[1].type, L4_MEM_ARCH | 2u << 4);
	ck_assert_uint_eq(k.memdesc[1].low, 0x000a0000u);
	ck_assert_int_eq(k.memdesc[3].is_virtual, 1);
	ck_assert_uint_eq(k.memdesc[3].high, 0xbfffffffu);
}
END_TEST

START_TEST(later_descriptors_override)
{
	kip_image_build(kip, pc_map, 4);
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_OK);
	ck_assert(l4_kip_is_conventional(&k, 0x00100000u, 0x003fffffu));
	ck_assert(!l4_kip_is_conventional(&k, 0x00100000u, 0x00400fffu));	/* into reserved */
	ck_assert(!l4_kip_is_conventional(&k, 0x000b8000u, 0x000b8fffu));	/* BIOS hole */
	ck_assert(l4_kip_is_conventional(&k, 0x00500000u, 0x0fffffffu));
	ck_assert(!l4_kip_is_conventional(&k, 0x0ffff000u, 0x10000fffu));	/* past RAM */
	/* the virtual descriptor says nothing about physical memory */
	ck_assert(!l4_kip_is_conventional(&k, 0x20000000u, 0x20000fffu));
}
END_TEST

START_TEST(refuses_bad_magic_version_and_word_size)
{
	kip_image_build(kip, pc_map, 4);
	kip[3] = 'k';
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_BAD_MAGIC);
	kip_image_build(kip, pc_map, 4);
	kip_image_put(kip, 0x04, 0x04u << 24);		/* version 4, not X.2 */
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_BAD_VERSION);
	kip_image_build(kip, pc_map, 4);
	kip_image_put(kip, 0x08, 1u << 2);		/* 64-bit words */
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_BAD_WORD_SIZE);
	kip_image_build(kip, pc_map, 4);
	kip_image_put(kip, 0x08, 1u);			/* big-endian */
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_BAD_WORD_SIZE);
}
END_TEST

START_TEST(refuses_offsets_outside_the_page)
{
	kip_image_build(kip, pc_map, 4);
	kip_image_put(kip, 0x0c, 4090);			/* kernel descriptor runs off */
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_BAD_OFFSET);
	kip_image_build(kip, pc_map, 4);
	kip_image_put(kip, 0x54, 0xff0u << 16 | 4u);	/* descriptors run off */
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_BAD_OFFSET);
	kip_image_build(kip, pc_map, 4);
	kip_image_put(kip, 0x54, 0x300u << 16 | 65u);	/* more than we keep */
	ck_assert_int_eq(l4_kip_parse(kip, sizeof(kip), &k), L4_KIP_TOO_MANY);
	kip_image_build(kip, pc_map, 4);
	ck_assert_int_eq(l4_kip_parse(kip, 0x80, &k), L4_KIP_BAD_OFFSET);	/* truncated */
}
END_TEST

Suite *l4_kip_suite(void)
{
	Suite *s = suite_create("l4-kip");
	TCase *tc = tcase_create("kip");

	tcase_add_test(tc, parses_a_pistachio_like_kip);
	tcase_add_test(tc, memory_descriptors);
	tcase_add_test(tc, later_descriptors_override);
	tcase_add_test(tc, refuses_bad_magic_version_and_word_size);
	tcase_add_test(tc, refuses_offsets_outside_the_page);
	suite_add_tcase(s, tc);
	return s;
}
