// SPDX-License-Identifier: MIT
/* Unit tests of the asm template rewriter (asm-rewrite.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "previrt/abi.h"
#include "asm-rewrite.h"

static struct pv_unit unit;
static struct pv_result res;

static void setup(void)
{
	pv_unit_init(&unit, 64);
	/* what the GCC glue sets for a template in a function */
	strcpy(unit.link_sym, "fx_fn");
	memset(&res, 0, sizeof(res));
}

static void teardown(void)
{
	pv_result_free(&res);
}

static int rewrite(const char *t, enum pv_template_kind kind, int device)
{
	pv_result_free(&res);
	return pv_rewrite(&unit, t, kind, device, &res);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* The record line for a site: version, arch, class, flags. */
static int has_record(int arch, int klass, int flags)
{
	char want[64], vouched[64];

	/* the boundary flag is the writer's own; these tests are about the others */
	snprintf(want, sizeof(want), ".byte %d, %d, %d, %d, 8843b", PREVIRT_ABI_VERSION, arch,
		 klass, flags);
	snprintf(vouched, sizeof(vouched), ".byte %d, %d, %d, %d, 8843b", PREVIRT_ABI_VERSION,
		 arch, klass, flags | PREVIRT_F_BOUNDARY);
	return res.text && (strstr(res.text, want) != NULL || strstr(res.text, vouched) != NULL);
}

START_TEST(test_single)
{
	ck_assert_int_eq(rewrite("cli", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert_ptr_nonnull(res.text);
	ck_assert(strncmp(res.text, "8841: cli\n8842:\n", 16) == 0);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_CLI, 0));
	ck_assert_int_eq(count(res.text, ".pushsection previrt_sites"), 1);
	ck_assert_int_eq(count(res.text, ".popsection"), 1);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_CLI], 1);
	/* Numeric labels only: nothing that extended asm would read as an operand. */
	ck_assert_ptr_null(strchr(res.text, '%'));
}
END_TEST

START_TEST(test_untouched_is_byte_exact)
{
	ck_assert_int_eq(rewrite("mov %1, %0\n\tadd $1, %0", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_ptr_null(res.text);
	ck_assert_int_eq(res.ndiags, 0);
	ck_assert_int_eq(rewrite("", PV_TEMPLATE_BASIC, 0), 0);
	ck_assert_ptr_null(res.text);
}
END_TEST

START_TEST(test_multi_and_separators)
{
	ck_assert_int_eq(rewrite("# save flags\n\tpushf ; pop %0;cli", PV_TEMPLATE_EXTENDED, 0), 2);
	ck_assert(strstr(res.text, "\tpushf ; pop") == NULL);	/* pushf got its sled */
	ck_assert(strstr(res.text, "8841: pushf\n8842:") != NULL);
	ck_assert(strstr(res.text, " ; pop %0;8841: cli\n8842:") != NULL);
	ck_assert(strncmp(res.text, "# save flags\n", 13) == 0);
}
END_TEST

START_TEST(test_comments_and_quotes)
{
	ck_assert_int_eq(rewrite("nop # cli; sti", PV_TEMPLATE_BASIC, 0), 0);
	ck_assert_int_eq(rewrite("/* cli */ nop", PV_TEMPLATE_BASIC, 0), 0);
	ck_assert_int_eq(rewrite(".ascii \"x; cli\"", PV_TEMPLATE_BASIC, 0), 0);
	/* A trailing comment stays after the inserted block, on its own line. */
	ck_assert_int_eq(rewrite("sti # enable", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, ".popsection\n # enable") != NULL);
}
END_TEST

/* Interrupt shadows: nothing may come between sti (mov/pop %ss) and its successor. */
START_TEST(test_shadow_pairs)
{
	const char *bad = NULL;

	/* sti; hlt and sti; mwait: one site of the second's class, sti first */
	ck_assert_int_eq(rewrite("sti; hlt", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_HLT, PREVIRT_F_STI_PAIR));
	ck_assert(strstr(res.text, "8841: sti; hlt\n8842:") != NULL);
	ck_assert_int_eq(rewrite("sti\n\tmwait %%eax, %%ecx", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_MWAIT, PREVIRT_F_STI_PAIR));
	/* an empty statement or a comment between them changes nothing */
	ck_assert_int_eq(rewrite("sti;\n\t# idle\n\thlt", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_HLT, PREVIRT_F_STI_PAIR));
	/* a label on the hlt: two sites, the sti padded before */
	ck_assert_int_eq(rewrite("sti\n1: hlt", PV_TEMPLATE_BASIC, 0), 2);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_STI, PREVIRT_F_PAD_FIRST));
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_HLT, 0));
	/* the pair vouches for its boundary as its sti would: after an instruction, yes */
	ck_assert_int_eq(rewrite("nop; sti; hlt", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, ".byte 1, 2, 5, 40, 8843b") != NULL);	/* pair | boundary */
	/* after bytes previrt did not parse, no: not for the pair, not for a lone sti */
	ck_assert_int_eq(rewrite(".byte 0x3e\nsti\nhlt", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, ".byte 1, 2, 5, 32, 8843b") != NULL);	/* pair */
	ck_assert_int_eq(rewrite(".byte 0x3e\nsti\n.cfi_endproc", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, ".byte 1, 2, 2, 16, 8843b") != NULL);	/* pad-first */
	/* hlt not annotated: the sti alone, padded before */
	pv_select_classes(&unit, "hlt", 0, &bad);
	ck_assert_int_eq(rewrite("sti; hlt", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_STI, PREVIRT_F_PAD_FIRST));
	ck_assert(strstr(res.text, "8842: sti\n8843:") != NULL);
	pv_select_classes(&unit, "hlt", 1, &bad);
}
END_TEST

START_TEST(test_shadow_pad_first)
{
	static const char *const casters[] = {
		"sti", "popf", "popfq", "mov %ax, %ss", "movw 4(%rsp), %ss", "pop %ss", "popl %ss",
	};
	unsigned int i;

	for (i = 0; i < sizeof(casters) / sizeof(casters[0]); i++) {
		ck_assert_int_eq(rewrite(casters[i], PV_TEMPLATE_BASIC, 0), 1);
		/* padding (0x90 by .skip, forward to the instruction's end), then it */
		ck_assert_msg(strstr(res.text, "8841:\n\t.skip -((8843f - 8842f) < 8)") != NULL,
			      "%s: %s", casters[i], res.text);
		ck_assert(strstr(res.text, "8843b - 8841b, 8843b - 8842b, 0, 0") != NULL);
	}
	/* the successor follows it directly: the record comes after both labels */
	ck_assert_int_eq(rewrite("mov %ax, %ss\n\tmov %rbx, %rsp", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, "8842: mov %ax, %ss\n8843:") != NULL);
	/* a label on it (an exception-table entry) names the instruction, after the padding */
	ck_assert_int_eq(rewrite("lea 2f, %eax\n2:\tmovw %ax, %ss\n1:", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert_msg(strstr(res.text, "lea 2f, %eax\n\n8841:\n\t.skip") != NULL &&
		      strstr(res.text, "0x90\n2:\t8842: movw %ax, %ss\n8843:") != NULL, "%s", res.text);
	/* no shadow: padded after as always */
	ck_assert_int_eq(rewrite("mov %ax, %ds", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_SEG_WRITE, 0));
	ck_assert_int_eq(rewrite("lss (%rax), %rsp", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_SEG_WRITE, 0));
	/* written as bytes: the same shape */
	ck_assert_int_eq(rewrite(".byte 0xfb", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_STI,
			     PREVIRT_F_RAW_BYTES | PREVIRT_F_PAD_FIRST));
}
END_TEST

/* A template spelling the plugin's labels would jump into a sled: refused. */
START_TEST(test_label_clash)
{
	ck_assert_int_eq(rewrite("8841: cli; dec %%eax; jnz 8841b", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_ptr_null(res.text);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert(strstr(res.diags[0].msg, "8841") != NULL);
	ck_assert_int_eq(rewrite("cli; jmp 8843f\n8843:", PV_TEMPLATE_BASIC, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	/* other numbers, and the digits inside longer ones, are fine */
	ck_assert_int_eq(rewrite("88411: cli; jnz 88411b; mov $18842, %eax", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert_int_eq(res.ndiags, 0);
}
END_TEST

/* A hand-written sled (abi.h's form) has its record: no second one. */
START_TEST(test_own_records)
{
	const char *t = "8841: cli\n8842: .byte 0x0f,0x1f,0x80,0,0,0,0\n8843:\n"
			".pushsection previrt_sites, \"a\"\n.balign 4\n.long 8841b - .\n"
			".byte 1, 2, 1, 0, 8843b - 8841b, 8842b - 8841b, 0, 0\n.popsection";

	ck_assert_int_eq(rewrite(t, PV_TEMPLATE_BASIC, 0), 0);
	ck_assert_ptr_null(res.text);
	ck_assert_int_eq(res.ndiags, 0);
}
END_TEST

/* CPUs without 0f 1f: one-byte NOPs only, never a long NOP. */
START_TEST(test_no_nopl)
{
	unit.opt.no_nopl = 1;
	ck_assert_int_eq(rewrite("cli", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, ".skip -((8842b - 8841b) < 8) * (8 - (8842b - 8841b)), 0x90") != NULL);
	ck_assert(strstr(res.text, "0x0f,0x1f") == NULL);
	unit.opt.no_nopl = 0;
	ck_assert_int_eq(rewrite("cli", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, "0x0f,0x1f") != NULL);
}
END_TEST

/* In a device accessor only moves are MMIO sites: a fence is no access. */
START_TEST(test_device_moves_only)
{
	ck_assert_int_eq(rewrite("lfence", PV_TEMPLATE_BASIC, 1), 0);
	ck_assert_int_eq(res.ndiags, 0);
	ck_assert_int_eq(rewrite("movl (%rdi), %eax; lfence", PV_TEMPLATE_BASIC, 1), 1);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_MMIO], 1);
	ck_assert_int_eq(rewrite("mfence; movzbl %1, %0; sfence", PV_TEMPLATE_EXTENDED, 1), 1);
	ck_assert_int_eq(rewrite("movswq (%rdi), %rax", PV_TEMPLATE_BASIC, 1), 1);
	/* a string move or a read-modify-write cannot be routed: said, left alone */
	ck_assert_int_eq(rewrite("movsl", PV_TEMPLATE_BASIC, 1), 0);
	ck_assert_int_eq(rewrite("addl $1, (%rdi)", PV_TEMPLATE_BASIC, 1), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert(strstr(res.diags[0].msg, "only a mov") != NULL);
	ck_assert_int_eq(rewrite("orl %1, %0", PV_TEMPLATE_EXTENDED, 1), 0);
	ck_assert_int_eq(res.ndiags, 1);
	/* port I/O in an accessor stays pio, with the device flag */
	ck_assert_int_eq(rewrite("outb %al, %dx", PV_TEMPLATE_BASIC, 1), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_PIO, PREVIRT_F_DEVICE));
}
END_TEST

/* A record's section follows the code: linked to it, in its COMDAT group. */
START_TEST(test_record_follows_code)
{
	ck_assert_int_eq(rewrite("cli", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, ".pushsection previrt_sites, \"ao\", @progbits, fx_fn\n") != NULL);
	strcpy(unit.link_group, "_Z7irq_offv");
	ck_assert_int_eq(rewrite("cli", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert(strstr(res.text, "\"aoG\", @progbits, fx_fn, _Z7irq_offv, comdat\n") != NULL);
	/* top level: emitted once, so a label of its own names the sled's section */
	ck_assert_int_eq(rewrite(".section .init.text, \"ax\"\ncli\nsti", PV_TEMPLATE_TOPLEVEL, 0), 2);
	ck_assert(strstr(res.text, "\n.Lprevirt_site_2:\n8841: cli") != NULL);
	ck_assert(strstr(res.text, "\"ao\", @progbits, .Lprevirt_site_2\n") != NULL);
	ck_assert(strstr(res.text, "\n.Lprevirt_site_3:\n8841:\n\t.skip") != NULL);
	ck_assert(strstr(res.text, "fx_fn") == NULL);
}
END_TEST

START_TEST(test_labels)
{
	ck_assert_int_eq(rewrite("1: cli\n.Lx%=: sti\nfoo: bar: hlt", PV_TEMPLATE_EXTENDED, 0), 3);
	ck_assert(strstr(res.text, "1: 8841: cli") != NULL);
	/* sti is padded before its labels: the label still names the sti itself */
	ck_assert(strstr(res.text, "\n8841:\n\t.skip") != NULL);
	ck_assert(strstr(res.text, "\n.Lx%=: 8842: sti") != NULL);
	ck_assert(strstr(res.text, "foo: bar: 8841: hlt") != NULL);
}
END_TEST

/* Whether the record vouches for what precedes its sled (PREVIRT_F_BOUNDARY). */
static int vouched(int klass, int flags)
{
	char want[64];

	snprintf(want, sizeof(want), ".byte %d, %d, %d, %d, 8843b", PREVIRT_ABI_VERSION,
		 PREVIRT_ARCH_X86_64, klass, flags | PREVIRT_F_BOUNDARY);
	return res.text && strstr(res.text, want) != NULL;
}

START_TEST(test_boundary_flag)
{
	/* first statement, after an instruction, after directives that write nothing */
	ck_assert_int_eq(rewrite("cli", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(vouched(PREVIRT_CLASS_CLI, 0));
	ck_assert_int_eq(rewrite("mov $0x66, %%al\n\tcli", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(vouched(PREVIRT_CLASS_CLI, 0));
	ck_assert_int_eq(rewrite(".globl x\n.cfi_remember_state\n.if 1\ncli\n.endif",
				 PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(vouched(PREVIRT_CLASS_CLI, 0));
	/* a prefix statement taken into the sled */
	ck_assert_int_eq(rewrite("rep; outsb", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(vouched(PREVIRT_CLASS_PIO, PREVIRT_F_PREFIXED));
	/* bytes written before it, or a pending prefix dropped by a directive */
	ck_assert_int_eq(rewrite(".byte 0xf3\n\tinsb", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(!vouched(PREVIRT_CLASS_PIO, 0));
	ck_assert_int_eq(rewrite(".byte 0x66\n\tpushf", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(!vouched(PREVIRT_CLASS_PUSHF, 0));
	ck_assert_int_eq(rewrite("rep\n\t.if 1\n\tinsb\n\t.endif", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(!vouched(PREVIRT_CLASS_PIO, 0));
	ck_assert(!vouched(PREVIRT_CLASS_PIO, PREVIRT_F_PREFIXED));
	/* an instruction in between makes the next one sure again */
	ck_assert_int_eq(rewrite(".byte 0x90\n\tnop\n\tcli", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(vouched(PREVIRT_CLASS_CLI, 0));
}
END_TEST

START_TEST(test_prefix_statement)
{
	ck_assert_int_eq(rewrite("rep; outsb", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(strncmp(res.text, "8841: rep; outsb\n8842:", 22) == 0);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_PIO, PREVIRT_F_PREFIXED));
	/* A prefix before a plain instruction is no site at all. */
	ck_assert_int_eq(rewrite("lock; incl %0", PV_TEMPLATE_EXTENDED, 0), 0);
}
END_TEST

START_TEST(test_pushsection_blocks)
{
	const char *t = "661: clac\n662:\n"
			".pushsection .altinstr_replacement, \"ax\"\n"
			"663: stac\ncli\n"
			".popsection\n"
			"sti";

	ck_assert_int_eq(rewrite(t, PV_TEMPLATE_EXTENDED, 0), 2);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_SMAP], 1);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_STI], 1);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_CLI], 0);
	ck_assert(strstr(res.text, "663: stac\ncli\n.popsection") != NULL);
}
END_TEST

START_TEST(test_section_previous)
{
	ck_assert_int_eq(rewrite("cli\n.section .discard.x,\"a\"\nsti\n.previous\nhlt",
				 PV_TEMPLATE_EXTENDED, 0), 2);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_STI], 0);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_HLT], 1);
	ck_assert_int_eq(res.ndiags, 0);
	/* Code that runs in another executable section is reported, not skipped. */
	ck_assert_int_eq(rewrite("cli\n.section .fixup,\"ax\"\nsti\nnop\n.previous\nhlt",
				 PV_TEMPLATE_EXTENDED, 0), 2);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_SECTION);
	ck_assert_int_eq(res.diags[0].line, 3);
	ck_assert_int_eq(rewrite("nop\n.pushsection .text.unlikely\ncpuid\n.popsection",
				 PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	/* Leaving the section switched is reported: code after it is misplaced. */
	ck_assert_int_eq(rewrite(".section .data\ncli", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_SECTION);
}
END_TEST

START_TEST(test_toplevel_sections)
{
	const char *t = ".text\nf: cli\n"
			".pushsection .rodata\n.byte 0xfa\nsti\n.popsection\n"
			".pushsection .text.unlikely,\"ax\"\nhlt\n.popsection\n"
			".section .altinstr_replacement,\"ax\"\nstac\n.previous\n"
			".pushsection .fixup,\"ax\"\nhlt\n.popsection\n"
			".section .init.text,\"ax\"\nwrmsr\n";

	ck_assert_int_eq(rewrite(t, PV_TEMPLATE_TOPLEVEL, 0), 4);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_CLI], 1);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_HLT], 2);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_MSR], 1);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_STI], 0);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_SMAP], 0);
	ck_assert_int_eq(res.ndiags, 0);
}
END_TEST

START_TEST(test_code_modes)
{
	ck_assert_int_eq(rewrite(".code32\ncli\n.code64\nsti", PV_TEMPLATE_TOPLEVEL, 0), 2);
	ck_assert(has_record(PREVIRT_ARCH_X86_32, PREVIRT_CLASS_CLI, 0));
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_STI, PREVIRT_F_PAD_FIRST));
	ck_assert_int_eq(rewrite(".code16\ncli\n.code64", PV_TEMPLATE_TOPLEVEL, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_REAL_MODE);
	ck_assert_int_eq(res.diags[0].line, 2);
}
END_TEST

/*
 * A forced-emulation prefix (ud2 + "kvm"/"xen", in any spelling) hands the
 * next instruction to the hypervisor: it is left alone and reported as
 * what it is, the signature bytes draw no raw-bytes warning, and a ud2
 * without a signature (BUG()) changes nothing.
 */
START_TEST(test_forced_emulation)
{
	static const char *const feps[] = {
		"ud2; .byte 'k', 'v', 'm'; cpuid",
		"ud2\n.byte 'k, 'v, 'm\ncpuid",
		"ud2; .byte 0x6b,0x76,0x6d; cpuid",
		"ud2; .ascii \"kvm\"; cpuid",
		"ud2a; .ascii \"xen\"; cpuid",
		".byte 0x0f,0x0b; .ascii \"xen\"; cpuid",
		".byte 0x0f,0x0b,0x78,0x65,0x6e ; cpuid",
		".byte 0x0f,0x0b,0x78,0x65,0x6e ; rep; insb",
	};
	unsigned int i;

	for (i = 0; i < sizeof(feps) / sizeof(feps[0]); i++) {
		ck_assert_msg(rewrite(feps[i], PV_TEMPLATE_BASIC, 0) == 0, "%s: annotated", feps[i]);
		ck_assert_msg(res.ndiags == 1 && res.diags[0].kind == PV_DIAG_FORCED_EMULATION,
			      "%s: %d diagnostics, first kind %d", feps[i], res.ndiags,
			      res.ndiags ? (int)res.diags[0].kind : -1);
		ck_assert(res.text == NULL);
	}
	/* Not a prefix: ud2 alone, a signature without ud2, something between. */
	ck_assert_int_eq(rewrite("ud2; cpuid", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert_int_eq(rewrite(".ascii \"kvm\"; cpuid", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert_int_eq(rewrite("ud2; nop; .ascii \"kvm\"; cpuid", PV_TEMPLATE_BASIC, 0), 1);
	ck_assert_int_eq(rewrite("ud2; .ascii \"kvm\"; cpuid; cpuid", PV_TEMPLATE_BASIC, 0), 1);
	/* A plain instruction after the prefix says nothing. */
	ck_assert_int_eq(rewrite("ud2; .ascii \"kvm\"; nop", PV_TEMPLATE_BASIC, 0), 0);
	ck_assert_int_eq(res.ndiags, 0);
}
END_TEST

START_TEST(test_device)
{
	ck_assert_int_eq(rewrite("movl %1, %0", PV_TEMPLATE_EXTENDED, 1), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_MMIO, PREVIRT_F_DEVICE));
	ck_assert_int_eq(rewrite("outb %b0, %w1", PV_TEMPLATE_EXTENDED, 1), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_PIO, PREVIRT_F_DEVICE));
	/* Outside an accessor the same mov is nothing. */
	ck_assert_int_eq(rewrite("movl %1, %0", PV_TEMPLATE_EXTENDED, 0), 0);
}
END_TEST

START_TEST(test_raw_bytes)
{
	ck_assert_int_eq(rewrite(".byte 0x0f,0x01,0xca", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_64, PREVIRT_CLASS_SMAP, PREVIRT_F_RAW_BYTES));
	ck_assert_int_eq(rewrite(".byte 0x66, 0x90", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 0);
	ck_assert_int_eq(rewrite("nop\n.byte 0x0f,0x01,0xc7", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_RAW_BYTES);
	ck_assert_int_eq(res.diags[0].line, 2);
	ck_assert_int_eq(rewrite(".byte SOME_MACRO", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	/* A branch written as opcode byte plus .long (static-call trampolines). */
	ck_assert_int_eq(rewrite(".byte 0xe9\n.long target - (. + 4)\n.byte 0x0f, 0xb9, 0xcc",
				 PV_TEMPLATE_TOPLEVEL, 0), 0);
	ck_assert_int_eq(res.ndiags, 0);
	/* ... but a .long on its own in code is still reported. */
	ck_assert_int_eq(rewrite("nop\n.long 0x12345678", PV_TEMPLATE_TOPLEVEL, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	/* Data in another section is data. */
	ck_assert_int_eq(rewrite(".pushsection .rodata\n.byte 0x0f,0x01,0xc7\n.popsection",
				 PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 0);
}
END_TEST

START_TEST(test_opaque_and_dialects)
{
	ck_assert_int_eq(rewrite("%c0 %%rax", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_OPAQUE);
	ck_assert_ptr_null(res.text);
	ck_assert_int_eq(rewrite("{cli|cli}", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_ptr_null(res.text);
	/* '|' and '}' alone are printed as they are: Linux ORs flags with them. */
	ck_assert_int_eq(rewrite("cli\n.pushsection x\n.long (1 | 2)\n.popsection", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert_int_eq(res.ndiags, 0);
	/* In basic asm braces are literal gas syntax, not dialects. */
	ck_assert_int_eq(rewrite("{disp32} cli", PV_TEMPLATE_BASIC, 0), 1);
}
END_TEST

START_TEST(test_macros)
{
	/* The body is not annotated (its expansion would repeat labels in order
	 * anyway, but the invocation site is where a reader looks). */
	ck_assert_int_eq(rewrite(".macro irqoff reg\n\tcli\n.endm\n.macro quiet\n\tnop\n.endm",
				 PV_TEMPLATE_TOPLEVEL, 0), 0);
	ck_assert_int_eq(rewrite("irqoff %0", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 1);
	ck_assert_int_eq(res.diags[0].kind, PV_DIAG_MACRO);
	ck_assert_int_eq(rewrite("quiet", PV_TEMPLATE_EXTENDED, 0), 0);
	ck_assert_int_eq(res.ndiags, 0);
}
END_TEST

START_TEST(test_class_selection)
{
	const char *bad = NULL;

	ck_assert_int_eq(pv_select_classes(&unit, "all", 0, &bad), 0);
	ck_assert_int_eq(pv_select_classes(&unit, "cli,pio", 1, &bad), 0);
	ck_assert_int_eq(rewrite("cli; sti; outb %al, $0x80", PV_TEMPLATE_BASIC, 0), 2);
	ck_assert_int_eq(res.per_class[PREVIRT_CLASS_STI], 0);
	ck_assert_int_eq(pv_select_classes(&unit, "cli,bogus", 1, &bad), -1);
	ck_assert_str_eq(bad, "bogus");
}
END_TEST

START_TEST(test_width_32)
{
	pv_unit_init(&unit, 32);
	ck_assert_int_eq(rewrite("pushfl; popl %0", PV_TEMPLATE_EXTENDED, 0), 1);
	ck_assert(has_record(PREVIRT_ARCH_X86_32, PREVIRT_CLASS_PUSHF, 0));
}
END_TEST

START_TEST(test_unit_totals)
{
	rewrite("cli", PV_TEMPLATE_BASIC, 0);
	rewrite("cli; sti", PV_TEMPLATE_BASIC, 0);
	rewrite(".byte 0x0f,0x01,0xc7", PV_TEMPLATE_BASIC, 0);
	ck_assert_uint_eq(unit.sites, 3);
	ck_assert_uint_eq(unit.per_class[PREVIRT_CLASS_CLI], 2);
	ck_assert_uint_eq(unit.warnings, 1);
}
END_TEST

static Suite *rewrite_suite(void)
{
	Suite *s = suite_create("asm-rewrite");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_single);
	tcase_add_test(tc, test_shadow_pairs);
	tcase_add_test(tc, test_shadow_pad_first);
	tcase_add_test(tc, test_label_clash);
	tcase_add_test(tc, test_own_records);
	tcase_add_test(tc, test_no_nopl);
	tcase_add_test(tc, test_device_moves_only);
	tcase_add_test(tc, test_record_follows_code);
	tcase_add_test(tc, test_untouched_is_byte_exact);
	tcase_add_test(tc, test_multi_and_separators);
	tcase_add_test(tc, test_comments_and_quotes);
	tcase_add_test(tc, test_labels);
	tcase_add_test(tc, test_boundary_flag);
	tcase_add_test(tc, test_prefix_statement);
	tcase_add_test(tc, test_pushsection_blocks);
	tcase_add_test(tc, test_section_previous);
	tcase_add_test(tc, test_toplevel_sections);
	tcase_add_test(tc, test_code_modes);
	tcase_add_test(tc, test_device);
	tcase_add_test(tc, test_raw_bytes);
	tcase_add_test(tc, test_opaque_and_dialects);
	tcase_add_test(tc, test_macros);
	tcase_add_test(tc, test_class_selection);
	tcase_add_test(tc, test_width_32);
	tcase_add_test(tc, test_unit_totals);
	tcase_add_test(tc, test_forced_emulation);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rewrite_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
