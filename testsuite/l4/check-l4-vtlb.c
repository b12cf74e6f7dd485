/* SPDX-License-Identifier: MIT */
/*
 * The virtual TLB's page-table walk, on PAE tables built here in a small
 * guest memory: what it maps, the #PF it reflects, the A/D bits it sets.
 */
#include <stdlib.h>
#include <string.h>
#include "check-l4.h"
#include "l4-fpage.h"
#include "l4-vtlb.h"

#define MEM_SIZE	0x400000u	/* 4 MiB of guest-physical memory */
#define PDPT		0x1000u
#define PD_LOW		0x2000u		/* for 0x40000000 (PDPT entry 1) */
#define PT		0x3000u
#define PD_HIGH		0x4000u		/* for 0x80000000 (PDPT entry 2) */
#define FRAME		0x10000u
#define VA		0x40000000u
#define VA_LARGE	0x80000000u

#define P	1ull
#define RW	2ull
#define A	0x20ull
#define D	0x40ull
#define PS	0x80ull

static unsigned char *mem;
static struct l4_vtlb_guest g;
static struct l4_vtlb_result r;

static void put(uint32_t gpa, uint64_t v) { memcpy(mem + gpa, &v, 8); }	/* x86 host: LE */
static uint64_t get(uint32_t gpa) { uint64_t v; memcpy(&v, mem + gpa, 8); return v; }

static void setup(void)
{
	mem = calloc(1, MEM_SIZE);
	ck_assert_ptr_nonnull(mem);
	put(PDPT + 8 * 1, PD_LOW | P);
	put(PDPT + 8 * 2, PD_HIGH | P);
	put(PD_LOW + 0, PT | P | RW);
	put(PT + 0, FRAME | P | RW);			/* VA: writable */
	put(PT + 8, (FRAME + 0x1000) | P);		/* VA + 4K: read-only */
	put(PD_HIGH + 0, 0x200000u | P | RW | PS);	/* 2 MiB page */
	g = (struct l4_vtlb_guest){ .mem = mem, .size = MEM_SIZE, .cr3 = PDPT,
				    .cr0 = L4_VTLB_CR0_PG | L4_VTLB_CR0_WP | 1,
				    .cr4 = L4_VTLB_CR4_PAE };
}

static void teardown(void)
{
	free(mem);
}

START_TEST(read_maps_read_only_until_dirty)
{
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x123, L4_FPAGE_R, &r), L4_VTLB_MAP);
	ck_assert_uint_eq(r.gpa, FRAME);
	ck_assert_uint_eq(r.rights, L4_FPAGE_R | L4_FPAGE_X);	/* no W before a write */
	ck_assert_uint_eq(get(PT) & (A | D), A);
	ck_assert_uint_eq(get(PD_LOW) & A, A);
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x123, L4_FPAGE_W, &r), L4_VTLB_MAP);
	ck_assert_uint_eq(r.rights, L4_FPAGE_RWX);
	ck_assert_uint_eq(get(PT) & (A | D), A | D);
}
END_TEST

START_TEST(not_present_reflects_pf)
{
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x2000, L4_FPAGE_R, &r), L4_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(r.error, 0);
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x2000, L4_FPAGE_W, &r), L4_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(r.error, L4_VTLB_PF_WRITE);
	/* PDPT entry 0 is empty */
	ck_assert_int_eq(l4_vtlb_translate(&g, 0x1000, L4_FPAGE_R, &r), L4_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(get(PT + 16), 0);		/* nothing written for a fault */
}
END_TEST

START_TEST(write_protect_follows_cr0_wp)
{
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x1000, L4_FPAGE_W, &r), L4_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(r.error, L4_VTLB_PF_PRESENT | L4_VTLB_PF_WRITE);
	ck_assert_uint_eq(get(PT + 8) & D, 0);
	g.cr0 &= ~L4_VTLB_CR0_WP;			/* CPL 0 without WP: writes go through */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x1000, L4_FPAGE_W, &r), L4_VTLB_MAP);
	ck_assert_uint_eq(r.gpa, FRAME + 0x1000);
	ck_assert_uint_eq(r.rights, L4_FPAGE_RWX);
	ck_assert_uint_eq(get(PT + 8) & (A | D), A | D);
}
END_TEST

START_TEST(user_mode_needs_u_at_every_level)
{
	g.user = 1;
	/* supervisor page (no U anywhere): present, so P is in the error code */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA, L4_FPAGE_R, &r), L4_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(r.error, L4_VTLB_PF_PRESENT | L4_VTLB_PF_USER);
	ck_assert_uint_eq(get(PT) & A, 0);		/* a refused access sets no A bit */
	put(PT + 0, FRAME | P | RW | 4);		/* U in the PTE only: still refused */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA, L4_FPAGE_R, &r), L4_VTLB_GUEST_FAULT);
	put(PD_LOW + 0, PT | P | RW | 4);		/* U in the PDE too: allowed */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA, L4_FPAGE_R, &r), L4_VTLB_MAP);
	ck_assert_uint_eq(r.gpa, FRAME);
	/* a read-only user page binds at CPL 3 even without CR0.WP */
	g.cr0 &= ~L4_VTLB_CR0_WP;
	put(PT + 8, (FRAME + 0x1000) | P | 4);
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x1000, L4_FPAGE_W, &r), L4_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(r.error, L4_VTLB_PF_PRESENT | L4_VTLB_PF_WRITE | L4_VTLB_PF_USER);
	/* not present at CPL 3: U and W bits, no P */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x2000, L4_FPAGE_W, &r), L4_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(r.error, L4_VTLB_PF_WRITE | L4_VTLB_PF_USER);
}
END_TEST

START_TEST(large_pages)
{
	ck_assert_int_eq(l4_vtlb_translate(&g, VA_LARGE + 0x15000, L4_FPAGE_R, &r), L4_VTLB_MAP);
	ck_assert_uint_eq(r.gpa, 0x215000u);
	ck_assert_uint_eq(get(PD_HIGH) & (A | D), A);
}
END_TEST

START_TEST(paging_off_and_bad_tables)
{
	g.cr0 &= ~L4_VTLB_CR0_PG;
	ck_assert_int_eq(l4_vtlb_translate(&g, 0x3456, L4_FPAGE_W, &r), L4_VTLB_MAP);
	ck_assert_uint_eq(r.gpa, 0x3000);
	ck_assert_uint_eq(r.rights, L4_FPAGE_RWX);
	ck_assert_int_eq(l4_vtlb_translate(&g, MEM_SIZE, L4_FPAGE_R, &r), L4_VTLB_BAD);
	g.cr0 |= L4_VTLB_CR0_PG;
	put(PT + 16, 0x7ff000u | P);			/* a frame beyond guest memory */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA + 0x2000, L4_FPAGE_R, &r), L4_VTLB_DEVICE);
	ck_assert_uint_eq(r.gpa, 0x7ff000u);		/* a device's: emulated, never mapped */
	put(PD_LOW, 0x7ff000u | P | RW);		/* a table beyond guest memory */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA, L4_FPAGE_R, &r), L4_VTLB_BAD);
	g.cr4 = 0;					/* 2-level paging: not for this walk */
	ck_assert_int_eq(l4_vtlb_translate(&g, VA, L4_FPAGE_R, &r), L4_VTLB_BAD);
}
END_TEST

Suite *l4_vtlb_suite(void)
{
	Suite *s = suite_create("l4-vtlb");
	TCase *tc = tcase_create("vtlb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, read_maps_read_only_until_dirty);
	tcase_add_test(tc, not_present_reflects_pf);
	tcase_add_test(tc, write_protect_follows_cr0_wp);
	tcase_add_test(tc, user_mode_needs_u_at_every_level);
	tcase_add_test(tc, large_pages);
	tcase_add_test(tc, paging_off_and_bad_tables);
	suite_add_tcase(s, tc);
	return s;
}
