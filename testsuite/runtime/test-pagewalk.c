// SPDX-License-Identifier: MIT
/*
 * The guest page walker (libprevirt/vmm/pagewalk.c) over a guest memory
 * the test builds: 4-level and PAE and 32-bit trees, the A/D order
 * (previrt/pagewalk.h: non-leaf A on the way down even when a lower level
 * is absent, the leaf's A and D only for an allowed access), U/S at CPL 3,
 * CR0.WP, NX with EFER.NXE (reserved without it), SMAP with AC, SMEP,
 * 2 MiB / 1 GiB / 4 MiB pages, the error codes, and tables outside memory.
 */
#include <check.h>
#include <string.h>
#include <previrt/pagewalk.h>
#include <previrt/x86-paging.h>

#include "test-guest-mem.h"

static const struct previrt_pw_mem ops = { rd, setb };

static uint64_t get(uint64_t gpa)
{
	uint64_t e;

	rd(0, gpa, 8, &e);
	return e;
}

#define U	X86_PTE_US
#define W	X86_PTE_RW
#define P	X86_PTE_P
/* A 4-level tree: PML4 at page 1, PDPT 2, PD 3, PT 4; va 0x400000+n*4096 -> frame 16+n. */
#define PML4	0x1000
#define PDPT	0x2000
#define PD	0x3000
#define PT	0x4000
#define VA	0x400000ULL
#define ALL	(P | W | U)

static struct previrt_pw_state st;

static void setup(void)
{
	memset(mem, 0, sizeof(mem));
	put(PML4, PDPT | ALL);
	put(PDPT, PD | ALL);
	put(PD + 2 * 8, PT | ALL);		/* va 0x400000 is PD index 2 */
	for (int i = 0; i < 8; i++)
		put(PT + i * 8, (uint64_t)(16 + i) * 4096 | ALL);
	st = (struct previrt_pw_state){
		.cr0 = PV_CR0_PG | PV_CR0_WP, .cr3 = PML4, .cr4 = PV_CR4_PAE,
		.efer = PV_EFER_LMA | PV_EFER_NXE,
	};
}

static int walk(uint64_t va, unsigned int access, struct previrt_pw_result *r)
{
	return previrt_pagewalk(0, &ops, &st, va, access, r);
}

START_TEST(translates_4k)
{
	struct previrt_pw_result r;

	ck_assert_int_eq(walk(VA + 0x1234, 0, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(r.gpa, 17 * 4096 + 0x234);
	ck_assert_uint_eq(r.page_shift, 12);
	ck_assert(r.rights & PREVIRT_PW_R_WRITE);
	ck_assert(r.rights & PREVIRT_PW_R_USER);
	ck_assert(r.rights & PREVIRT_PW_R_EXEC);
}
END_TEST

START_TEST(ad_order_read_then_write)
{
	struct previrt_pw_result r;

	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_OK);
	ck_assert(get(PML4) & X86_PTE_A);
	ck_assert(get(PDPT) & X86_PTE_A);
	ck_assert(get(PD + 16) & X86_PTE_A);
	ck_assert_uint_eq(get(PT) & (X86_PTE_A | X86_PTE_D), X86_PTE_A);
	ck_assert(!(r.rights & PREVIRT_PW_R_DIRTY));
	ck_assert_int_eq(walk(VA, PREVIRT_PW_WRITE, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(get(PT) & (X86_PTE_A | X86_PTE_D), X86_PTE_A | X86_PTE_D);
	ck_assert(r.rights & PREVIRT_PW_R_DIRTY);
	ck_assert(!(get(PD + 16) & X86_PTE_D));	/* D only in the leaf */
}
END_TEST

/* Step 1 of the order: upper levels are accessed even when the PTE is absent. */
START_TEST(ad_order_upper_levels_on_absent_leaf)
{
	struct previrt_pw_result r;

	put(PT + 3 * 8, 0);
	ck_assert_int_eq(walk(VA + 3 * 4096, PREVIRT_PW_WRITE, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_W);
	ck_assert(get(PML4) & X86_PTE_A);
	ck_assert(get(PD + 16) & X86_PTE_A);
}
END_TEST

/* Step 2: a protection fault leaves the leaf's A and D alone. */
START_TEST(ad_order_leaf_untouched_on_protection_fault)
{
	struct previrt_pw_result r;

	put(PT, 16 * 4096 | P | U);	/* read-only */
	ck_assert_int_eq(walk(VA, PREVIRT_PW_WRITE, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_P | X86_PF_W);
	ck_assert_uint_eq(get(PT) & (X86_PTE_A | X86_PTE_D), 0);
	ck_assert(get(PD + 16) & X86_PTE_A);
}
END_TEST

START_TEST(peek_has_no_side_effects)
{
	struct previrt_pw_result r;

	put(PT, 16 * 4096 | P);
	ck_assert_int_eq(walk(VA + 8, PREVIRT_PW_PEEK | PREVIRT_PW_WRITE | PREVIRT_PW_USER, &r),
			 PREVIRT_PW_OK);
	ck_assert_uint_eq(r.gpa, 16 * 4096 + 8);
	ck_assert_uint_eq(get(PML4) & X86_PTE_A, 0);
	ck_assert_uint_eq(get(PT) & X86_PTE_A, 0);
}
END_TEST

START_TEST(user_needs_us_at_every_level)
{
	struct previrt_pw_result r;

	put(PD + 16, PT | P | W);	/* supervisor PDE */
	ck_assert_int_eq(walk(VA, PREVIRT_PW_USER, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_P | X86_PF_U);
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_OK);	/* the supervisor may */
}
END_TEST

START_TEST(wp_binds_supervisor_writes_and_user_always)
{
	struct previrt_pw_result r;

	put(PT, 16 * 4096 | P | U);
	ck_assert_int_eq(walk(VA, PREVIRT_PW_WRITE, &r), PREVIRT_PW_FAULT);
	st.cr0 &= ~PV_CR0_WP;
	ck_assert_int_eq(walk(VA, PREVIRT_PW_WRITE, &r), PREVIRT_PW_OK);
	ck_assert(get(PT) & X86_PTE_D);
	ck_assert_int_eq(walk(VA, PREVIRT_PW_WRITE | PREVIRT_PW_USER, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_P | X86_PF_W | X86_PF_U);
}
END_TEST

START_TEST(nx_with_nxe_and_reserved_without)
{
	struct previrt_pw_result r;

	put(PD + 16, PT | ALL | X86_PTE_NX);
	ck_assert_int_eq(walk(VA, PREVIRT_PW_FETCH, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_P | X86_PF_I);
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_OK);
	ck_assert(!(r.rights & PREVIRT_PW_R_EXEC));
	st.efer &= ~PV_EFER_NXE;
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_P | X86_PF_RSVD);
}
END_TEST

START_TEST(fetch_without_nxe_or_smep_reports_no_i)
{
	struct previrt_pw_result r;

	st.efer &= ~PV_EFER_NXE;
	put(PT, 0);
	ck_assert_int_eq(walk(VA, PREVIRT_PW_FETCH, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, 0);
	st.cr4 |= PV_CR4_SMEP;
	ck_assert_int_eq(walk(VA, PREVIRT_PW_FETCH, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_I);
}
END_TEST

START_TEST(smap_and_ac)
{
	struct previrt_pw_result r;

	st.cr4 |= PV_CR4_SMAP;
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_P);
	ck_assert_uint_eq(get(PT) & X86_PTE_A, 0);
	st.ac = 1;
	ck_assert_int_eq(walk(VA, PREVIRT_PW_WRITE, &r), PREVIRT_PW_OK);
	/* AC does not open user pages to supervisor fetches: that is SMEP's. */
	ck_assert_int_eq(walk(VA, PREVIRT_PW_FETCH, &r), PREVIRT_PW_OK);
	st.cr4 |= PV_CR4_SMEP;
	ck_assert_int_eq(walk(VA, PREVIRT_PW_FETCH, &r), PREVIRT_PW_FAULT);
	ck_assert_uint_eq(r.error, X86_PF_P | X86_PF_I);
	/* User accesses are not affected by either. */
	ck_assert_int_eq(walk(VA, PREVIRT_PW_USER | PREVIRT_PW_FETCH, &r), PREVIRT_PW_OK);
}
END_TEST

START_TEST(large_pages_2m_1g)
{
	struct previrt_pw_result r;

	put(PD + 16, 0x200000 | ALL | X86_PTE_PS);
	ck_assert_int_eq(walk(VA + 0x12345, PREVIRT_PW_WRITE, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(r.page_shift, 21);
	ck_assert_uint_eq(r.gpa, 0x212345);
	ck_assert(get(PD + 16) & X86_PTE_D);
	put(PDPT, 0x40000000 | ALL | X86_PTE_PS);
	ck_assert_int_eq(walk(VA + 5, 0, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(r.page_shift, 30);
	ck_assert_uint_eq(r.gpa, 0x40000000 + VA + 5);
	put(PML4, PDPT | ALL | X86_PTE_PS);	/* PS is reserved in a PML4E */
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_FAULT);
	ck_assert(r.error & X86_PF_RSVD);
}
END_TEST

START_TEST(global_needs_pge)
{
	struct previrt_pw_result r;

	put(PT, 16 * 4096 | ALL | X86_PTE_G);
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_OK);
	ck_assert(!(r.rights & PREVIRT_PW_R_GLOBAL));
	st.cr4 |= PV_CR4_PGE;
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_OK);
	ck_assert(r.rights & PREVIRT_PW_R_GLOBAL);
}
END_TEST

START_TEST(pae_pdpte_gets_no_a)
{
	struct previrt_pw_result r;

	/* PAE: PDPT at 0x5000 (entry 0 -> PD), PD entry 2 -> PT. */
	put(0x5000, PD | P);
	st.efer = PV_EFER_NXE;
	st.cr3 = 0x5000;
	ck_assert_int_eq(walk(VA + 0x10, PREVIRT_PW_WRITE, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(r.gpa, 16 * 4096 + 0x10);
	ck_assert_uint_eq(get(0x5000) & X86_PTE_A, 0);
	ck_assert(get(PD + 16) & X86_PTE_A);
	ck_assert(get(PT) & X86_PTE_D);
}
END_TEST

START_TEST(pg32_and_pse)
{
	struct previrt_pw_result r;
	uint32_t pde = 0x6000 | ALL, pte = 20 * 4096 | ALL, big = 0x400000 | ALL | X86_PTE_PS;

	memcpy(mem + 0x7000 + 1 * 4, &pde, 4);	/* va 0x400000: PDE 1 */
	memcpy(mem + 0x6000, &pte, 4);
	st = (struct previrt_pw_state){ .cr0 = PV_CR0_PG, .cr3 = 0x7000 };
	ck_assert_int_eq(walk(0x400abc, 0, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(r.gpa, 20 * 4096 + 0xabc);
	memcpy(mem + 0x7000 + 2 * 4, &big, 4);	/* va 0x800000: a 4 MiB page with PSE */
	st.cr4 = PV_CR4_PSE;
	ck_assert_int_eq(walk(0x812345, 0, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(r.page_shift, 22);
	ck_assert_uint_eq(r.gpa, 0x412345);
}
END_TEST

START_TEST(paging_off_and_bad_tables)
{
	struct previrt_pw_result r;

	st.cr0 = 0;
	ck_assert_int_eq(walk(0x1234, PREVIRT_PW_WRITE, &r), PREVIRT_PW_OK);
	ck_assert_uint_eq(r.gpa, 0x1234);
	setup();
	put(PD + 16, (uint64_t)MEM_SIZE * 4 | ALL);	/* PT outside memory */
	ck_assert_int_eq(walk(VA, 0, &r), PREVIRT_PW_BAD);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pagewalk");
	TCase *tc = tcase_create("walk");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, translates_4k);
	tcase_add_test(tc, ad_order_read_then_write);
	tcase_add_test(tc, ad_order_upper_levels_on_absent_leaf);
	tcase_add_test(tc, ad_order_leaf_untouched_on_protection_fault);
	tcase_add_test(tc, peek_has_no_side_effects);
	tcase_add_test(tc, user_needs_us_at_every_level);
	tcase_add_test(tc, wp_binds_supervisor_writes_and_user_always);
	tcase_add_test(tc, nx_with_nxe_and_reserved_without);
	tcase_add_test(tc, fetch_without_nxe_or_smep_reports_no_i);
	tcase_add_test(tc, smap_and_ac);
	tcase_add_test(tc, large_pages_2m_1g);
	tcase_add_test(tc, global_needs_pge);
	tcase_add_test(tc, pae_pdpte_gets_no_a);
	tcase_add_test(tc, pg32_and_pse);
	tcase_add_test(tc, paging_off_and_bad_tables);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
