// SPDX-License-Identifier: MIT
/*
 * Unit tests of libprevirt's IA-64 half that need no IA-64 tool: the codec
 * is its own inverse on any 16 bytes, nops carry their immediates, the
 * long call reaches every displacement, and the sled checker and patcher
 * refuse every malformed record before touching a byte. That the bytes
 * mean what they should is run-asm.sh's part (objdump decodes them).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "previrt/ia64.h"

/* A fixed pseudo-random sequence (xorshift), so that failures repeat. */
static uint64_t rnd(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15u;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

START_TEST(codec_roundtrips_any_bundle)
{
	for (int i = 0; i < 100000; i++) {
		unsigned char b[16], again[16];
		struct pv_ia64_bundle d, d2;
		uint64_t lo = rnd(), hi = rnd();

		memcpy(b, &lo, 8);	/* the host is little-endian x86, as the bundle */
		memcpy(b + 8, &hi, 8);
		pv_ia64_bundle_decode(b, &d);
		ck_assert_uint_lt(d.tmpl, 32);
		for (int s = 0; s < 3; s++)
			ck_assert(d.slot[s] <= PV_IA64_SLOT_MASK);
		pv_ia64_bundle_encode(&d, again);
		ck_assert_mem_eq(b, again, 16);
		pv_ia64_bundle_decode(again, &d2);
		ck_assert_uint_eq(d.tmpl, d2.tmpl);
		for (int s = 0; s < 3; s++)
			ck_assert(d.slot[s] == d2.slot[s]);
	}
}
END_TEST

START_TEST(slots_sit_at_their_bits)
{
	/* template 0x1d in bits 0-4, slot 0 all ones (5-45), slot 1 zero
	 * (46-86), slot 2 all ones (87-127), little-endian */
	static const unsigned char expect[16] = {
		0xfd, 0xff, 0xff, 0xff, 0xff, 0x3f, 0x00, 0x00,
		0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	struct pv_ia64_bundle d = { 0x1d, { PV_IA64_SLOT_MASK, 0, PV_IA64_SLOT_MASK } };
	unsigned char b[16];

	pv_ia64_bundle_encode(&d, b);
	ck_assert_mem_eq(b, expect, 16);
}
END_TEST

START_TEST(template_table)
{
	static const char *const expect[16] = {
		"MII", "MII", "MLX", NULL, "MMI", "MMI", "MFI", "MMF",
		"MIB", "MBB", NULL, "BBB", "MMB", NULL, "MFB", NULL,
	};
	for (unsigned int t = 0; t < 32; t++) {
		char u[3];
		int r = pv_ia64_template_units(t, u);

		if (!expect[t >> 1]) {
			ck_assert_int_eq(r, -1);
			continue;
		}
		ck_assert_int_eq(r, 0);
		ck_assert(memcmp(u, expect[t >> 1], 3) == 0);
		ck_assert_uint_eq(pv_ia64_template_stops(t) & 4, (t & 1) ? 4 : 0);
	}
	ck_assert_uint_eq(pv_ia64_template_stops(0x02), 2);	/* MI;;I */
	ck_assert_uint_eq(pv_ia64_template_stops(0x0b), 1 | 4);	/* M;;MI;; */
}
END_TEST

START_TEST(nops_and_immediates)
{
	ck_assert(pv_ia64_nop('M', 0) == PV_IA64_NOP_MIF);
	ck_assert(pv_ia64_nop('B', 0) == PV_IA64_NOP_B);
	for (uint32_t imm = 0; imm < (1u << 21); imm += 4093) {
		ck_assert(pv_ia64_is_nop(pv_ia64_nop('M', imm), 'M'));
		ck_assert(pv_ia64_is_nop(pv_ia64_nop('I', imm), 'I'));
		ck_assert(pv_ia64_is_nop(pv_ia64_nop('B', imm), 'B'));
		ck_assert(!pv_ia64_is_nop(pv_ia64_nop('B', imm), 'M'));
	}
	ck_assert(pv_ia64_is_nop(pv_ia64_nop('M', 0x1fffff), 'M'));
	ck_assert(!pv_ia64_is_nop(0, 'M'));	/* break.m 0 */
	ck_assert(!pv_ia64_is_nop(PV_IA64_NOP_MIF, 'L'));
}
END_TEST

/* Undo pv_ia64_brl_call's encoding, from the format's field list. */
static int64_t brl_disp(uint64_t l, uint64_t x)
{
	uint64_t v = ((x >> 13) & 0xfffff) | ((l >> 2) & ((UINT64_C(1) << 39) - 1)) << 20 |
		     ((x >> 36) & 1) << 59;

	return (int64_t)(v << 4);	/* bit 63 of the result is i: sign extension */
}

START_TEST(long_call_reaches_every_displacement)
{
	static const int64_t disps[] = {
		0, 16, -16, 0x1000, -0x1230, INT64_C(0x7ffffffffffffff0), INT64_MIN,
		INT64_C(0x123456789abcdef0), -INT64_C(0x123456789abcdef0),
	};
	for (unsigned int i = 0; i < sizeof(disps) / sizeof(disps[0]); i++) {
		uint64_t l, x;

		pv_ia64_brl_call(5, 7, disps[i], &l, &x);
		ck_assert(l <= PV_IA64_SLOT_MASK && x <= PV_IA64_SLOT_MASK);
		ck_assert(brl_disp(l, x) == disps[i]);
		ck_assert_uint_eq(pv_ia64_qp(x), 5);
		ck_assert_uint_eq((x >> 6) & 7, 7);	/* b7 */
		ck_assert_uint_eq(x >> 37, 0xd);	/* brl.call */
	}
}
END_TEST

static unsigned int flushes;
static void count_flush(void *ctx, uint64_t addr, unsigned long len)
{
	(void)ctx;
	(void)addr;
	(void)len;
	flushes++;
}

START_TEST(malformed_records_are_refused_untouched)
{
	unsigned char sled[32] = { 0 }, before[32];
	struct previrt_site s = { 0, PREVIRT_ABI_VERSION, PREVIRT_ARCH_IA64, PREVIRT_CLASS_CLI, 0,
				  32, 16, 0, 0 };
	struct pv_ia64_patcher p = { PV_IA64_TEST, 0x10000, count_flush, NULL };
	struct pv_ia64_bundle pad = { PV_IA64_T_MIB, { PV_IA64_NOP_MIF, PV_IA64_NOP_MIF, PV_IA64_NOP_B } };

	/* Bundle 0: MII with a nop where the instruction should be. */
	struct pv_ia64_bundle b0 = { PV_IA64_T_MII | 1, { PV_IA64_NOP_MIF, PV_IA64_NOP_MIF, PV_IA64_NOP_MIF } };

	pv_ia64_bundle_encode(&b0, sled);
	pv_ia64_bundle_encode(&pad, sled + 16);
	memcpy(before, sled, 32);
	flushes = 0;

	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_NOP);
	s.arch = PREVIRT_ARCH_X86_64;
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_ARCH);
	s.arch = PREVIRT_ARCH_IA64;
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2008), PV_IA64_SLED_SHAPE);
	s.sled_len = 48;
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_SHAPE);
	s.sled_len = 32;
	s.slot = 3;
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_SHAPE);
	s.slot = 0;
	s.insn_len = 15;
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_SHAPE);
	s.insn_len = 16;

	/* A reserved template. */
	b0.tmpl = 0x06;
	pv_ia64_bundle_encode(&b0, sled);
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_TEMPLATE);
	/* kret must sit in a B slot: slot 0 of MII is not one. */
	b0.tmpl = PV_IA64_T_MII | 1;
	b0.slot[0] = 0;	/* break.m 0: not a nop */
	pv_ia64_bundle_encode(&b0, sled);
	s.klass = PREVIRT_CLASS_KRET;
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_UNIT);
	s.klass = PREVIRT_CLASS_FAR_XFER;	/* epc is B-unit too */
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_UNIT);
	s.klass = PREVIRT_CLASS_VMX;	/* break.m 0 in slot 0: a well-formed sled */
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_OK);
	/* ... unless the pad bundle is not the plugin's. */
	sled[20] ^= 0x40;
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_PADDING);
	sled[20] ^= 0x40;
	/* ... or the bundle lacks its end stop. */
	b0.tmpl = PV_IA64_T_MII;
	pv_ia64_bundle_encode(&b0, sled);
	ck_assert_int_eq(pv_ia64_check_sled(&s, sled, 0x2000), PV_IA64_SLED_PADDING);
	b0.tmpl = PV_IA64_T_MII | 1;
	pv_ia64_bundle_encode(&b0, sled);
	memcpy(before, sled, 32);

	/* The patcher: no flush hook, a misaligned handler: refused, nothing written. */
	p.flush_icache = NULL;
	ck_assert_int_ne(pv_ia64_patch_site(&p, &s, sled, 0x2000, 1, NULL), 0);
	p.flush_icache = count_flush;
	p.handler = 0x10008;
	ck_assert_int_ne(pv_ia64_patch_site(&p, &s, sled, 0x2000, 1, NULL), 0);
	ck_assert_mem_eq(sled, before, 32);
	ck_assert_uint_eq(flushes, 0);

	/* Native keeps it; test patches bundle 0 only, saves it, flushes it. */
	p.backend = PV_IA64_NATIVE;
	ck_assert_int_eq(pv_ia64_patch_site(&p, &s, sled, 0x2000, 1, NULL), 0);
	ck_assert_mem_eq(sled, before, 32);
	p.backend = PV_IA64_TEST;
	p.handler = 0x10000;
	{
		unsigned char saved[16];
		struct pv_ia64_bundle out;

		ck_assert_int_eq(pv_ia64_patch_site(&p, &s, sled, 0x2000, 0x1abcde, saved), 0);
		ck_assert_mem_eq(saved, before, 16);
		ck_assert_mem_eq(sled + 16, before + 16, 16);
		ck_assert_uint_eq(flushes, 1);
		pv_ia64_bundle_decode(sled, &out);
		ck_assert_uint_eq(out.tmpl, PV_IA64_T_MLX | 1);
		ck_assert(out.slot[0] == pv_ia64_nop('M', 0x1abcde));
		ck_assert(brl_disp(out.slot[1], out.slot[2]) == 0x10000 - 0x2000);
	}
	/* Patched once, refused after. */
	ck_assert_int_ne(pv_ia64_patch_site(&p, &s, sled, 0x2000, 1, NULL), 0);
	ck_assert_uint_eq(flushes, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ia64-runtime");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, codec_roundtrips_any_bundle);
	tcase_add_test(tc, slots_sit_at_their_bits);
	tcase_add_test(tc, template_table);
	tcase_add_test(tc, nops_and_immediates);
	tcase_add_test(tc, long_call_reaches_every_displacement);
	tcase_add_test(tc, malformed_records_are_refused_untouched);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
