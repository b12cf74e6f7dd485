// SPDX-License-Identifier: MIT
/*
 * The virtual TLB's algorithm (libprevirt/vmm/vtlb.c) on a recording
 * backend: what is entered with which rights (writable only once dirty,
 * WP, NX, SMEP), guest faults passed on, gpa outside memory, invlpg
 * (including pieces of a large page), CR3 loads keeping global entries,
 * SMAP's flush of user pages, and the pool recycling its oldest slot when
 * full instead of failing or flushing everything.
 */
#include <check.h>
#include <string.h>
#include <previrt/vtlb.h>
#include <previrt/x86-paging.h>

#include "test-guest-mem.h"

static const struct previrt_pw_mem mem_ops = { rd, setb };

/* The recording backend: one real mapping per (space, page). */
#define MAXMAP 64
static struct { uint64_t va, gpa; unsigned int rights, space; int live; } maps[MAXMAP];
static unsigned int unmaps;
static int map_result;

static int find_map(uint64_t va, unsigned int space)
{
	for (int i = 0; i < MAXMAP; i++)
		if (maps[i].live && maps[i].va == va && maps[i].space == space)
			return i;
	return -1;
}

static int do_map(struct previrt_vcpu *v, uint64_t va, uint64_t gpa, unsigned int rights,
		  unsigned int space)
{
	int i = find_map(va, space);

	(void)v;
	if (map_result)
		return map_result;
	if (gpa >= MEM_SIZE)
		return 1;
	for (int k = 0; i < 0 && k < MAXMAP; k++)
		if (!maps[k].live)
			i = k;
	maps[i].va = va;
	maps[i].gpa = gpa;
	maps[i].rights = rights;
	maps[i].space = space;
	maps[i].live = 1;
	return 0;
}

static void do_unmap(struct previrt_vcpu *v, uint64_t va, unsigned int space)
{
	int i = find_map(va, space);

	(void)v;
	ck_assert_int_ge(i, 0);	/* the core never removes what it did not enter */
	maps[i].live = 0;
	unmaps++;
}

static const struct previrt_vtlb_ops ops = { &mem_ops, do_map, do_unmap };

static struct previrt_vtlb t;
static struct previrt_vtlb_entry slots[8];
static uint32_t buckets[4];
static struct previrt_pw_state st;

#define ALL	(X86_PTE_P | X86_PTE_RW | X86_PTE_US)
#define PT	0x4000
#define VA	0x400000ULL

static void setup(void)
{
	memset(mem, 0, sizeof(mem));
	memset(maps, 0, sizeof(maps));
	unmaps = 0;
	map_result = 0;
	put(0x1000, 0x2000 | ALL);
	put(0x2000, 0x3000 | ALL);
	put(0x3000 + 16, PT | ALL);
	for (int i = 0; i < 32; i++)
		put(PT + i * 8, (uint64_t)(16 + i) * 4096 | ALL);
	st = (struct previrt_pw_state){
		.cr0 = PV_CR0_PG | PV_CR0_WP, .cr3 = 0x1000, .cr4 = PV_CR4_PAE | PV_CR4_PGE,
		.efer = PV_EFER_LMA | PV_EFER_NXE,
	};
	previrt_vtlb_init(&t, &ops, 0, slots, 8, buckets, 4);
}

static int fault(uint64_t va, unsigned int access, uint32_t *err)
{
	return previrt_vtlb_fault(&t, &st, va, access, err);
}

static int live(void)
{
	int n = 0;

	for (int i = 0; i < MAXMAP; i++)
		n += maps[i].live;
	return n;
}

START_TEST(read_then_write_until_dirty)
{
	uint32_t err;
	int i;

	ck_assert_int_eq(fault(VA + 5, 0, &err), PREVIRT_VTLB_FILLED);
	i = find_map(VA, PREVIRT_VTLB_KERNEL);
	ck_assert_int_ge(i, 0);
	ck_assert_uint_eq(maps[i].gpa, 16 * 4096);
	ck_assert_uint_eq(maps[i].rights, PREVIRT_VTLB_MAP_EXEC);	/* read-only until D */
	ck_assert_int_eq(fault(VA + 5, PREVIRT_PW_WRITE, &err), PREVIRT_VTLB_FILLED);
	ck_assert_uint_eq(maps[i].rights, PREVIRT_VTLB_MAP_EXEC | PREVIRT_VTLB_MAP_WRITE);
	ck_assert_uint_eq(t.used, 1);
}
END_TEST

START_TEST(guest_fault_and_not_memory)
{
	uint32_t err;

	put(PT + 8, 0);
	ck_assert_int_eq(fault(VA + 4096, PREVIRT_PW_USER, &err), PREVIRT_VTLB_GUEST_FAULT);
	ck_assert_uint_eq(err, X86_PF_U);
	put(PT + 16, (uint64_t)MEM_SIZE * 2 | ALL);
	ck_assert_int_eq(fault(VA + 2 * 4096, PREVIRT_PW_WRITE, &err), PREVIRT_VTLB_NOT_MEMORY);
	ck_assert_uint_eq(err, X86_PF_P | X86_PF_W);
	ck_assert_int_eq(live(), 0);
	map_result = -1;
	ck_assert_int_eq(fault(VA, 0, &err), PREVIRT_VTLB_NO_ROOM);
	ck_assert_uint_eq(t.used, 0);
}
END_TEST

START_TEST(wp_clear_and_nx_and_smep)
{
	uint32_t err;

	put(PT, 16 * 4096 | X86_PTE_P | X86_PTE_US | X86_PTE_D | X86_PTE_NX);
	st.cr0 &= ~PV_CR0_WP;
	st.cr4 |= PV_CR4_SMEP;
	ck_assert_int_eq(fault(VA, 0, &err), PREVIRT_VTLB_FILLED);
	/* supervisor, WP clear, D set: writable; NX: not executable */
	ck_assert_uint_eq(maps[find_map(VA, 0)].rights, PREVIRT_VTLB_MAP_WRITE);
	put(PT + 8, 17 * 4096 | ALL | X86_PTE_D);
	ck_assert_int_eq(fault(VA + 4096, 0, &err), PREVIRT_VTLB_FILLED);
	/* a user page entered for the supervisor under SMEP: no fetch */
	ck_assert_uint_eq(maps[find_map(VA + 4096, 0)].rights, PREVIRT_VTLB_MAP_WRITE);
	ck_assert_int_eq(fault(VA + 4096, PREVIRT_PW_USER, &err), PREVIRT_VTLB_FILLED);
	ck_assert_uint_eq(maps[find_map(VA + 4096, 1)].rights,
			  PREVIRT_VTLB_MAP_WRITE | PREVIRT_VTLB_MAP_EXEC);
}
END_TEST

START_TEST(invlpg_drops_both_spaces)
{
	uint32_t err;

	fault(VA, 0, &err);
	fault(VA, PREVIRT_PW_USER, &err);
	fault(VA + 4096, 0, &err);
	ck_assert_int_eq(live(), 3);
	previrt_vtlb_invlpg(&t, VA + 0x800);
	ck_assert_int_eq(live(), 1);
	ck_assert_int_ge(find_map(VA + 4096, 0), 0);
	ck_assert_uint_eq(t.used, 1);
}
END_TEST

START_TEST(invlpg_in_a_large_page_drops_its_pieces)
{
	uint32_t err;

	put(0x3000 + 16, 0 | ALL | X86_PTE_PS);	/* 2 MiB at guest-physical 0 */
	ck_assert_int_eq(fault(VA, 0, &err), PREVIRT_VTLB_FILLED);
	ck_assert_int_eq(fault(VA + 0x5000, 0, &err), PREVIRT_VTLB_FILLED);
	ck_assert_int_eq(fault(VA + 0x20000, 0, &err), PREVIRT_VTLB_FILLED);
	ck_assert_uint_eq(t.large, 3);
	previrt_vtlb_invlpg(&t, VA + 0x100000);
	ck_assert_int_eq(live(), 0);
	ck_assert_uint_eq(t.large, 0);
}
END_TEST

START_TEST(cr3_load_keeps_global)
{
	uint32_t err;

	put(PT, 16 * 4096 | ALL | X86_PTE_G);
	fault(VA, 0, &err);
	fault(VA + 4096, 0, &err);
	previrt_vtlb_new_cr3(&t);
	ck_assert_int_eq(live(), 1);
	ck_assert_int_ge(find_map(VA, 0), 0);
	previrt_vtlb_flush_all(&t);
	ck_assert_int_eq(live(), 0);
	ck_assert_uint_eq(t.used, 0);
}
END_TEST

START_TEST(smap_flush_drops_supervisor_user_pages)
{
	uint32_t err;

	put(PT + 8, 17 * 4096 | X86_PTE_P | X86_PTE_RW);	/* supervisor page */
	fault(VA, 0, &err);				/* user page, for the kernel */
	fault(VA + 4096, 0, &err);
	fault(VA, PREVIRT_PW_USER, &err);		/* user page, for CPL 3 */
	previrt_vtlb_flush_user_pages(&t);
	ck_assert_int_eq(find_map(VA, 0), -1);
	ck_assert_int_ge(find_map(VA + 4096, 0), 0);
	ck_assert_int_ge(find_map(VA, 1), 0);
}
END_TEST

START_TEST(full_pool_recycles_oldest)
{
	uint32_t err;

	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(fault(VA + (uint64_t)i * 4096, 0, &err), PREVIRT_VTLB_FILLED);
	ck_assert_uint_eq(t.used, 8);
	ck_assert_int_eq(fault(VA + 8 * 4096, 0, &err), PREVIRT_VTLB_FILLED);
	ck_assert_uint_eq(t.used, 8);
	ck_assert_uint_eq(t.evictions, 1);
	ck_assert_int_eq(live(), 8);
	ck_assert_int_eq(find_map(VA, 0), -1);		/* the first filled went */
	/* many more than the pool: it keeps working, always full, never more */
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 32; i++)
			ck_assert_int_eq(fault(VA + (uint64_t)i * 4096, 0, &err), PREVIRT_VTLB_FILLED);
	ck_assert_uint_eq(t.used, 8);
	ck_assert_int_eq(live(), 8);
	ck_assert_uint_eq(unmaps, t.evictions);
	for (int i = 24; i < 32; i++)			/* the last eight are cached */
		ck_assert_int_ge(find_map(VA + (uint64_t)i * 4096, 0), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vtlb");
	TCase *tc = tcase_create("vtlb");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, read_then_write_until_dirty);
	tcase_add_test(tc, guest_fault_and_not_memory);
	tcase_add_test(tc, wp_clear_and_nx_and_smep);
	tcase_add_test(tc, invlpg_drops_both_spaces);
	tcase_add_test(tc, invlpg_in_a_large_page_drops_its_pieces);
	tcase_add_test(tc, cr3_load_keeps_global);
	tcase_add_test(tc, smap_flush_drops_supervisor_user_pages);
	tcase_add_test(tc, full_pool_recycles_oldest);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
