// SPDX-License-Identifier: MIT
/*
 * Unit tests of the plugin's IA-64 half: the instruction table
 * (ia64-classify.c) and the template rewriter (ia64-rewrite.c). What the
 * rewritten text assembles to is checked by run-asm.sh with the real
 * assembler; here: classes, units, predicates, slots, diagnostics.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "previrt/abi.h"
#include "ia64-classify.h"
#include "ia64-rewrite.h"

struct text_case {
	const char *text;
	int klass;		/* 0: not sensitive, -1: opaque */
	enum pv_ia64_unit unit;
	int qp;
};

#define M PV_IA64_UNIT_M
#define I PV_IA64_UNIT_I
#define B PV_IA64_UNIT_B
#define F PV_IA64_UNIT_F
#define X PV_IA64_UNIT_X

static const struct text_case cases[] = {
	{ "rsm psr.i", PREVIRT_CLASS_CLI, M, 0 },
	{ "rsm 0x4000", PREVIRT_CLASS_CLI, M, 0 },
	{ "(p6) ssm psr.i | psr.ic", PREVIRT_CLASS_STI, M, 6 },
	{ "( p15 )ssm 0x2000", PREVIRT_CLASS_STI, M, 15 },
	{ "mov %0=psr", PREVIRT_CLASS_PUSHF, M, 0 },
	{ "mov r8 = psr.um", PREVIRT_CLASS_PUSHF, M, 0 },
	{ "mov psr.l=%0", PREVIRT_CLASS_POPF, M, 0 },
	{ "mov psr.um = r9", PREVIRT_CLASS_POPF, M, 0 },
	{ "mov r8=cr.ifa", PREVIRT_CLASS_CR, M, 0 },
	{ "mov cr.itm=%0", PREVIRT_CLASS_CR, M, 0 },
	{ "MOV CR.IVA = R2", PREVIRT_CLASS_CR, M, 0 },
	{ "mov r2=cr[r3]", PREVIRT_CLASS_CR, M, 0 },
	{ "mov rr[%0]=%1", PREVIRT_CLASS_CR, M, 0 },
	{ "mov %0=rr[%1]", PREVIRT_CLASS_CR, M, 0 },
	{ "mov pkr[r2]=r3", PREVIRT_CLASS_CR, M, 0 },
	{ "mov ar.k7=r3", PREVIRT_CLASS_CR, M, 0 },
	{ "mov ar5=r3", PREVIRT_CLASS_CR, M, 0 },
	{ "mov %0=cr%1", PREVIRT_CLASS_CR, M, 0 },	/* Linux's ia64_getreg(_IA64_REG_CR_*) */
	{ "mov cr%0=%1", PREVIRT_CLASS_CR, M, 0 },
	{ "mov r8=cr20", PREVIRT_CLASS_CR, M, 0 },
	{ "mov ibr[r2]=r3", PREVIRT_CLASS_DR, M, 0 },
	{ "mov r3=dbr[r2]", PREVIRT_CLASS_DR, M, 0 },
	{ "mov pmc[%0]=%1", PREVIRT_CLASS_PMC, M, 0 },
	{ "mov %0=pmd[%1]", PREVIRT_CLASS_PMC, M, 0 },
	{ "mov r8=cpuid[r9]", PREVIRT_CLASS_CPUID, M, 0 },
	{ "mov msr[r2]=r3", PREVIRT_CLASS_MSR, M, 0 },
	{ "mov %0=ar.itc", PREVIRT_CLASS_TSC, M, 0 },
	{ "mov.m r8=ar.itc", PREVIRT_CLASS_TSC, M, 0 },
	{ "mov ar.itc=r8", PREVIRT_CLASS_TSC, M, 0 },
	{ "mov r8=ar44", PREVIRT_CLASS_TSC, M, 0 },
	{ "mov ar44=r8", PREVIRT_CLASS_TSC, M, 0 },
	{ "itc.i r2", PREVIRT_CLASS_TLB, M, 0 },
	{ "itc.d %0", PREVIRT_CLASS_TLB, M, 0 },
	{ "itr.i itr[r2]=r3", PREVIRT_CLASS_TLB, M, 0 },
	{ "itr.d dtr[%0]=%1", PREVIRT_CLASS_TLB, M, 0 },
	{ "ptc.l %0,%1", PREVIRT_CLASS_TLB, M, 0 },
	{ "ptc.g r2,r3", PREVIRT_CLASS_TLB, M, 0 },
	{ "ptc.ga r2,r3", PREVIRT_CLASS_TLB, M, 0 },
	{ "ptc.e %0", PREVIRT_CLASS_TLB, M, 0 },
	{ "ptr.i r2,r3", PREVIRT_CLASS_TLB, M, 0 },
	{ "ptr.d r2,r3", PREVIRT_CLASS_TLB, M, 0 },
	{ "thash %0=%1", PREVIRT_CLASS_TLB, M, 0 },
	{ "ttag r2=r3", PREVIRT_CLASS_TLB, M, 0 },
	{ "tpa %0=%1", PREVIRT_CLASS_TLB, M, 0 },
	{ "tak r2=r3", PREVIRT_CLASS_TLB, M, 0 },
	{ "probe.r r2=r3,r4", PREVIRT_CLASS_SEG_CHECK, M, 0 },
	{ "probe.w.fault r3,0", PREVIRT_CLASS_SEG_CHECK, M, 0 },
	{ "probe.rw.fault r3,3", PREVIRT_CLASS_SEG_CHECK, M, 0 },
	{ "rfi", PREVIRT_CLASS_KRET, B, 0 },
	{ "bsw.0", PREVIRT_CLASS_SWAPGS, B, 0 },
	{ "bsw.1", PREVIRT_CLASS_SWAPGS, B, 0 },
	{ "cover", PREVIRT_CLASS_CR, B, 0 },
	{ "fc %0", PREVIRT_CLASS_CACHE, M, 0 },
	{ "fc.i r2", PREVIRT_CLASS_CACHE, M, 0 },
	{ "sync.i", PREVIRT_CLASS_CACHE, M, 0 },
	{ "epc", PREVIRT_CLASS_FAR_XFER, B, 0 },
	{ "vmsw.0", PREVIRT_CLASS_VMX, B, 0 },
	{ "vmsw.1", PREVIRT_CLASS_VMX, B, 0 },
	{ "mov ar.rsc=r2", PREVIRT_CLASS_CR, M, 0 },
	{ "mov.m ar16=r2", PREVIRT_CLASS_CR, M, 0 },
	{ "mov ar.ruc=r3", PREVIRT_CLASS_TSC, M, 0 },
	{ "mov r4=ar.ruc", PREVIRT_CLASS_TSC, M, 0 },
	{ "mov r4=ar45", PREVIRT_CLASS_TSC, M, 0 },
	{ "break 0x1000", PREVIRT_CLASS_VMX, M, 0 },
	{ "break.m 0x1000", PREVIRT_CLASS_VMX, M, 0 },
	{ "(p7) break.i 0x1", PREVIRT_CLASS_VMX, I, 7 },
	{ "break.b 0x1", PREVIRT_CLASS_VMX, B, 0 },
	{ "break.f 0x1", PREVIRT_CLASS_VMX, F, 0 },
	{ "break.x 0x1", PREVIRT_CLASS_VMX, X, 0 },
	/* Not sensitive. */
	{ "mov r8=r9", 0, M, 0 },
	{ "mov r8=ar.lc", 0, M, 0 },
	{ "mov r8=ar.k0", 0, M, 0 },	/* reading a kernel register is allowed at PL3 */
	{ "mov r8=ar3", 0, M, 0 },
	{ "mov ar.ccv=%0", 0, M, 0 },
	{ "mov ar40=r2", 0, M, 0 },	/* ar.fpsr */
	{ "mov r2=cpuid", 0, M, 0 },	/* not the cpuid[] file */
	{ "mov ar.pfs=r2", 0, M, 0 },
	{ "mov r2=ar.rsc", 0, M, 0 },	/* reading ar.rsc is harmless */
	{ "add r8=r9,r10", 0, M, 0 },
	{ "(p6) ld8 r8=[r9]", 0, M, 6 },
	{ "srlz.i", 0, M, 0 },
	{ "srlz.d", 0, M, 0 },
	{ "sum psr.up", 0, M, 0 },
	{ "rum 1<<2", 0, M, 0 },
	{ "mf", 0, M, 0 },
	{ "br.ret.sptk.many b0", 0, M, 0 },
	{ "movl r8=0x1234", 0, M, 0 },
	{ "probe", 0, M, 0 },
	/* Mnemonics hidden in operands. */
	{ "%0 r8", -1, M, 0 },
	{ "(p6) %1", -1, M, 6 },
	{ "mov %0=ar%1", -1, M, 0 },	/* which ar depends on operand 1 */
	{ "mov ar%0=%1", -1, M, 0 },
};

START_TEST(classify_table)
{
	const struct text_case *c = &cases[_i];
	struct pv_ia64_insn in;
	enum pv_ia64_verdict v = pv_ia64_classify(c->text, &in);

	if (c->klass < 0) {
		ck_assert_msg(v == PV_IA64_OPAQUE, "'%s': verdict %d, want opaque", c->text, v);
		return;
	}
	ck_assert_msg(in.klass == c->klass, "'%s': class %s, want %s", c->text,
		      previrt_class_name((unsigned int)in.klass),
		      previrt_class_name((unsigned int)c->klass));
	ck_assert_int_eq(v, c->klass ? PV_IA64_SENSITIVE : PV_IA64_PLAIN);
	ck_assert_msg(in.qp == c->qp, "'%s': qp %d, want %d", c->text, in.qp, c->qp);
	if (c->klass)
		ck_assert_msg(in.unit == c->unit, "'%s': unit %s, want %s", c->text,
			      pv_ia64_unit_name(in.unit), pv_ia64_unit_name(c->unit));
}
END_TEST

START_TEST(long_instructions_take_two_slots)
{
	struct pv_ia64_insn in;

	pv_ia64_classify("movl r8=5", &in);
	ck_assert_int_eq(in.slots, 2);
	pv_ia64_classify("brl.call.sptk.many b0=f", &in);
	ck_assert_int_eq(in.slots, 2);
	pv_ia64_classify("break.x 3", &in);
	ck_assert_int_eq(in.slots, 2);
	pv_ia64_classify("rsm psr.i", &in);
	ck_assert_int_eq(in.slots, 1);
}
END_TEST

/* Rewrite a function's template with every class on; returns the sites. */
static int rewrite(const char *tmpl, struct pv_result *res)
{
	static struct pv_unit u;

	pv_unit_init(&u, 64);
	return pv_ia64_rewrite(&u, tmpl, PV_TEMPLATE_EXTENDED, 0, res);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The sled labels are previrt's: a template spelling them is refused, a hand-made sled kept. */
START_TEST(sled_labels_are_reserved)
{
	struct pv_result res;

	ck_assert_int_eq(rewrite("8841: rsm psr.i ;;\n(p6) br.cond.sptk 8841b", &res), 0);
	ck_assert_ptr_null(res.text);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_ptr_nonnull(strstr(res.diags[0].msg, "8841"));
	/* digits inside a longer number are no clash */
	ck_assert_int_eq(rewrite("188410: rsm psr.i ;;", &res), 1);
	ck_assert_int_eq(res.ndiags, 0);
	pv_result_free(&res);
	/* a template with its own record (the form abi.h documents) gets no second one */
	ck_assert_int_eq(rewrite("8841: rsm psr.i ;;\n8842:\n8843:\n"
				 ".pushsection previrt_sites, \"a\"\n.popsection", &res), 0);
	ck_assert_int_eq(res.ndiags, 0);
}
END_TEST

START_TEST(sled_shapes_by_unit)
{
	struct pv_result res;

	ck_assert_int_eq(rewrite("rsm psr.i ;;", &res), 1);
	ck_assert_ptr_nonnull(strstr(res.text, "8841:\n{ .mmi\n\trsm psr.i ;;\n\tnop.m 0\n\tnop.i 0 ;;\n}\n"
					       "8842:\n{ .mib\n\tnop.m 0\n\tnop.i 0\n\tnop.b 0\n}\n8843:\n"));
	ck_assert_ptr_nonnull(strstr(res.text, "data1 1, 3, 1, 0, 8843b - 8841b, 8842b - 8841b, 0, 0\n"));
	/* The source's own stop follows the sled, untouched. */
	ck_assert_ptr_nonnull(strstr(res.text, ".popsection\n ;;"));
	pv_result_free(&res);

	ck_assert_int_eq(rewrite("rfi", &res), 1);
	ck_assert_ptr_nonnull(strstr(res.text, "{ .mib\n\tnop.m 0\n\tnop.i 0\n\trfi ;;\n}\n"));
	ck_assert_ptr_nonnull(strstr(res.text, "data1 1, 3, 22, 0, 8843b - 8841b, 8842b - 8841b, 2, 0"));
	pv_result_free(&res);

	ck_assert_int_eq(rewrite("(p7) break.i 0x10", &res), 1);
	ck_assert_ptr_nonnull(strstr(res.text, "{ .mii\n\tnop.m 0\n\t(p7) break.i 0x10 ;;\n\tnop.i 0 ;;\n}"));
	ck_assert_ptr_nonnull(strstr(res.text, "8842b - 8841b, 1, 0"));
	pv_result_free(&res);

	ck_assert_int_eq(rewrite("break.x 0x10", &res), 1);
	ck_assert_ptr_nonnull(strstr(res.text, "{ .mlx\n\tnop.m 0\n\tbreak.x 0x10 ;;\n}"));
	pv_result_free(&res);
}
END_TEST

START_TEST(statements_stops_and_comments)
{
	struct pv_result res;

	/* ';' separates, ";;" is a stop, "//" and '#' lines are comments. */
	ck_assert_int_eq(rewrite("mov r8=r9 ; mov %0=psr ;; add r1=r2,r3 // rfi\n"
				 "# ssm psr.i\n\tmov cr.iva=%1 /* rsm psr.i */ ;;", &res), 2);
	ck_assert_uint_eq(res.per_class[PREVIRT_CLASS_PUSHF], 1);
	ck_assert_uint_eq(res.per_class[PREVIRT_CLASS_CR], 1);
	ck_assert_int_eq(count(res.text, ".pushsection previrt_sites"), 2);
	ck_assert_int_eq(res.ndiags, 0);
	pv_result_free(&res);

	ck_assert_int_eq(rewrite("add r1=r2,r3 ;; mov r4=ar.lc", &res), 0);
	ck_assert_ptr_null(res.text);
	pv_result_free(&res);
}
END_TEST

START_TEST(explicit_bundle_keeps_its_slots)
{
	struct pv_result res;

	ck_assert_int_eq(rewrite("{ .mlx\n movl r2=1 }\n{ .mib\n (p6) ssm psr.i\n nop.i 0\n rfi ;;\n}", &res), 2);
	/* One label before the bundle holding the sites, one record per site, after '}'. */
	ck_assert_int_eq(count(res.text, "8841:"), 1);
	ck_assert_ptr_nonnull(strstr(res.text, "}\n\n8841:\n{ .mib"));
	ck_assert_ptr_nonnull(strstr(res.text, "data1 1, 3, 2, 0, 8843b - 8841b, 8842b - 8841b, 0, 0"));
	ck_assert_ptr_nonnull(strstr(res.text, "data1 1, 3, 22, 0, 8843b - 8841b, 8842b - 8841b, 2, 0"));
	/* No bundle of ours inside theirs. */
	ck_assert_int_eq(count(res.text, "{"), 2);
	pv_result_free(&res);

	/* The long instruction takes slots 1 and 2: a site after it is impossible,
	 * one in slot 0 before it is found. */
	ck_assert_int_eq(rewrite("{ .mlx ; rsm psr.i ; movl r2=1 ;; }", &res), 1);
	ck_assert_ptr_nonnull(strstr(res.text, "8842b - 8841b, 0, 0"));
	pv_result_free(&res);
}
END_TEST

/* ia64_getreg(): the register number is a constant operand the plugin passes in. */
START_TEST(constant_operands_name_the_register)
{
	struct pv_ia64_operands ops = { .n = 2, .known = { 0, 1 }, .value = { 0, 44 } };
	struct pv_result res;
	struct pv_unit u;

	pv_unit_init(&u, 64);
	ck_assert_int_eq(pv_ia64_rewrite_operands(&u, "mov %0=ar%1", PV_TEMPLATE_EXTENDED, 0, &ops,
						  &res), 1);
	ck_assert_uint_eq(res.per_class[PREVIRT_CLASS_TSC], 1);
	/* The template keeps its operand: gcc substitutes it later. */
	ck_assert_ptr_nonnull(strstr(res.text, "\tmov %0=ar%1 ;;\n"));
	pv_result_free(&res);

	ops.value[1] = 0;	/* ar.k0 read: allowed everywhere */
	ck_assert_int_eq(pv_ia64_rewrite_operands(&u, "mov %0=ar%1", PV_TEMPLATE_EXTENDED, 0, &ops,
						  &res), 0);
	ck_assert_int_eq(res.ndiags, 0);
	pv_result_free(&res);

	ops.value[0] = 7;	/* ia64_setreg(_IA64_REG_AR_KR7, v): "mov ar%0=%1" */
	ops.known[0] = 1;
	ops.known[1] = 0;
	ck_assert_int_eq(pv_ia64_rewrite_operands(&u, "mov ar%0=%1", PV_TEMPLATE_EXTENDED, 0, &ops,
						  &res), 1);
	ck_assert_uint_eq(res.per_class[PREVIRT_CLASS_CR], 1);
	pv_result_free(&res);

	/* Without the values: a diagnostic, nothing changed. */
	ck_assert_int_eq(rewrite("mov %0=ar%1", &res), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_OPAQUE);
	ck_assert_ptr_null(res.text);
	pv_result_free(&res);
}
END_TEST

START_TEST(what_is_left_alone)
{
	struct pv_result res;
	struct pv_unit u;
	const char *bad;

	/* Another section in a function: not annotated, reported. */
	ck_assert_int_eq(rewrite(".pushsection .text.other,\"ax\"\nrsm psr.i\n.popsection", &res), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_SECTION);
	ck_assert_int_eq(res.diags[0].line, 2);
	pv_result_free(&res);

	/* Data sections and macro bodies: silently not code. */
	ck_assert_int_eq(rewrite(".pushsection .data\n\tdata8 1\n.popsection\n"
				 ".macro m\nrsm psr.i\n.endm", &res), 0);
	ck_assert_int_eq(res.ndiags, 0);
	pv_result_free(&res);

	/* A mnemonic in an operand cannot be read. */
	ck_assert_int_eq(rewrite("%0 r8=r9", &res), 0);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_OPAQUE);
	pv_result_free(&res);

	/* Disabled classes stay as they are. */
	pv_unit_init(&u, 64);
	ck_assert_int_eq(pv_select_classes(&u, "cache,vmx", 0, &bad), 0);
	ck_assert_int_eq(pv_ia64_rewrite(&u, "fc r2 ;; sync.i ;; break 0x1000 ;; rsm psr.i",
					 PV_TEMPLATE_EXTENDED, 0, &res), 1);
	ck_assert_uint_eq(res.per_class[PREVIRT_CLASS_CLI], 1);
	ck_assert_uint_eq(u.sites, 1);
	pv_result_free(&res);

	/* Top level: .text is code to annotate. */
	pv_unit_init(&u, 64);
	ck_assert_int_eq(pv_ia64_rewrite(&u, ".data\n\tdata8 0\n.text\nrfi", PV_TEMPLATE_TOPLEVEL, 0,
					 &res), 1);
	pv_result_free(&res);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ia64-plugin");
	TCase *tc = tcase_create("all");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, classify_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, long_instructions_take_two_slots);
	tcase_add_test(tc, sled_shapes_by_unit);
	tcase_add_test(tc, statements_stops_and_comments);
	tcase_add_test(tc, explicit_bundle_keeps_its_slots);
	tcase_add_test(tc, constant_operands_name_the_register);
	tcase_add_test(tc, what_is_left_alone);
	tcase_add_test(tc, sled_labels_are_reserved);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
