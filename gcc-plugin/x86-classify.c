// SPDX-License-Identifier: MIT
/*
 * The x86 sensitive-instruction table.
 *
 * "Sensitive" is the pre-virtualization sense of the word: every
 * instruction a guest kernel cannot execute as it is once it runs
 * de-privileged. That covers the privileged instructions, which trap and
 * so are at least noticed, and the unprivileged ones that quietly give a
 * different answer below ring 0 (pushf/popf lose IF, sgdt/sidt/str/smsw
 * show the host's state, mov from a segment register shows the RPL,
 * cpuid and rdtsc show the host's features and time). A list that misses
 * the quiet ones is the dangerous kind of wrong, so they are all here.
 *
 * Input is AT&T text, either as gas will read it from an inline asm
 * template or as libopcodes prints it: the plugin and previrt-audit share
 * this file so that they cannot disagree.
 */
#include <string.h>
#include <ctype.h>

#include "previrt/abi.h"
#include "x86-classify.h"

struct x86_entry {
	const char *stem;
	const char *suffixes;	/* size suffixes gas accepts after the stem */
	int klass;
};

/*
 * Stems are matched exactly first, then with one trailing size suffix
 * from 'suffixes', so "sti" never matches as "st" + "i" and "verw" is its
 * own entry rather than "ver" + "w".
 */
static const struct x86_entry x86_table[] = {
	{ "cli", "", PREVIRT_CLASS_CLI },
	{ "sti", "", PREVIRT_CLASS_STI },
	{ "pushf", "wlqd", PREVIRT_CLASS_PUSHF },
	{ "popf", "wlqd", PREVIRT_CLASS_POPF },
	{ "hlt", "", PREVIRT_CLASS_HLT },

	{ "in", "bwl", PREVIRT_CLASS_PIO },
	{ "out", "bwl", PREVIRT_CLASS_PIO },
	{ "ins", "bwld", PREVIRT_CLASS_PIO },
	{ "outs", "bwld", PREVIRT_CLASS_PIO },

	{ "lmsw", "w", PREVIRT_CLASS_CR },
	{ "smsw", "wlq", PREVIRT_CLASS_CR },
	{ "clts", "", PREVIRT_CLASS_CR },

	{ "lgdt", "wlq", PREVIRT_CLASS_DESC_LOAD },
	{ "lidt", "wlq", PREVIRT_CLASS_DESC_LOAD },
	{ "lldt", "w", PREVIRT_CLASS_DESC_LOAD },
	{ "ltr", "w", PREVIRT_CLASS_DESC_LOAD },
	{ "sgdt", "wlq", PREVIRT_CLASS_DESC_STORE },
	{ "sidt", "wlq", PREVIRT_CLASS_DESC_STORE },
	{ "sldt", "wlq", PREVIRT_CLASS_DESC_STORE },
	{ "str", "wlq", PREVIRT_CLASS_DESC_STORE },

	{ "lds", "wl", PREVIRT_CLASS_SEG_WRITE },
	{ "les", "wl", PREVIRT_CLASS_SEG_WRITE },
	{ "lfs", "wlq", PREVIRT_CLASS_SEG_WRITE },
	{ "lgs", "wlq", PREVIRT_CLASS_SEG_WRITE },
	{ "lss", "wlq", PREVIRT_CLASS_SEG_WRITE },

	{ "ljmp", "wlq", PREVIRT_CLASS_FAR_XFER },
	{ "lcall", "wlq", PREVIRT_CLASS_FAR_XFER },
	{ "lret", "wlq", PREVIRT_CLASS_FAR_XFER },
	{ "retf", "wlq", PREVIRT_CLASS_FAR_XFER },

	{ "lar", "wlq", PREVIRT_CLASS_SEG_CHECK },
	{ "lsl", "wlq", PREVIRT_CLASS_SEG_CHECK },
	{ "verr", "", PREVIRT_CLASS_SEG_CHECK },
	{ "verw", "", PREVIRT_CLASS_SEG_CHECK },

	{ "invlpg", "", PREVIRT_CLASS_TLB },
	{ "invpcid", "", PREVIRT_CLASS_TLB },
	{ "invlpga", "", PREVIRT_CLASS_TLB },
	{ "invlpgb", "", PREVIRT_CLASS_TLB },
	{ "tlbsync", "", PREVIRT_CLASS_TLB },

	{ "invd", "", PREVIRT_CLASS_CACHE },
	{ "wbinvd", "", PREVIRT_CLASS_CACHE },
	{ "wbnoinvd", "", PREVIRT_CLASS_CACHE },

	{ "rdmsr", "", PREVIRT_CLASS_MSR },
	{ "wrmsr", "", PREVIRT_CLASS_MSR },
	{ "wrmsrns", "", PREVIRT_CLASS_MSR },
	{ "rdmsrlist", "", PREVIRT_CLASS_MSR },
	{ "wrmsrlist", "", PREVIRT_CLASS_MSR },
	{ "rdpmc", "", PREVIRT_CLASS_PMC },
	{ "rdtsc", "", PREVIRT_CLASS_TSC },
	{ "rdtscp", "", PREVIRT_CLASS_TSC },
	{ "cpuid", "", PREVIRT_CLASS_CPUID },

	{ "iret", "wlqd", PREVIRT_CLASS_KRET },
	{ "sysret", "lq", PREVIRT_CLASS_KRET },
	{ "sysexit", "lq", PREVIRT_CLASS_KRET },
	{ "swapgs", "", PREVIRT_CLASS_SWAPGS },

	{ "rdfsbase", "lq", PREVIRT_CLASS_FSGSBASE },
	{ "rdgsbase", "lq", PREVIRT_CLASS_FSGSBASE },
	{ "wrfsbase", "lq", PREVIRT_CLASS_FSGSBASE },
	{ "wrgsbase", "lq", PREVIRT_CLASS_FSGSBASE },

	{ "xsetbv", "", PREVIRT_CLASS_XCR },
	{ "xsaves", "", PREVIRT_CLASS_XSAVES },
	{ "xsaves64", "", PREVIRT_CLASS_XSAVES },
	{ "xrstors", "", PREVIRT_CLASS_XSAVES },
	{ "xrstors64", "", PREVIRT_CLASS_XSAVES },

	{ "monitor", "lq", PREVIRT_CLASS_MWAIT },
	{ "mwait", "", PREVIRT_CLASS_MWAIT },
	{ "monitorx", "lq", PREVIRT_CLASS_MWAIT },	/* AMD: CPL 0 unless enabled */
	{ "mwaitx", "", PREVIRT_CLASS_MWAIT },

	{ "stac", "", PREVIRT_CLASS_SMAP },
	{ "clac", "", PREVIRT_CLASS_SMAP },

	{ "vmxon", "", PREVIRT_CLASS_VMX },
	{ "vmxoff", "", PREVIRT_CLASS_VMX },
	{ "vmcall", "", PREVIRT_CLASS_VMX },
	{ "vmlaunch", "", PREVIRT_CLASS_VMX },
	{ "vmresume", "", PREVIRT_CLASS_VMX },
	{ "vmptrld", "", PREVIRT_CLASS_VMX },
	{ "vmptrst", "", PREVIRT_CLASS_VMX },
	{ "vmclear", "", PREVIRT_CLASS_VMX },
	{ "vmread", "lq", PREVIRT_CLASS_VMX },
	{ "vmwrite", "lq", PREVIRT_CLASS_VMX },
	{ "invept", "", PREVIRT_CLASS_VMX },
	{ "invvpid", "", PREVIRT_CLASS_VMX },
	{ "vmfunc", "", PREVIRT_CLASS_VMX },
	{ "vmrun", "", PREVIRT_CLASS_VMX },
	{ "vmload", "", PREVIRT_CLASS_VMX },
	{ "vmsave", "", PREVIRT_CLASS_VMX },
	{ "vmmcall", "", PREVIRT_CLASS_VMX },
	{ "stgi", "", PREVIRT_CLASS_VMX },
	{ "clgi", "", PREVIRT_CLASS_VMX },
	{ "skinit", "", PREVIRT_CLASS_VMX },
	{ "encls", "", PREVIRT_CLASS_VMX },
	{ "enclv", "", PREVIRT_CLASS_VMX },
	{ "vmgexit", "", PREVIRT_CLASS_VMX },	/* rep; vmmcall: SEV-ES guest exit */

	/*
	 * The rest of the host's instructions: a de-privileged guest kernel
	 * cannot have them (#GP, or #UD where its CPUID hides the feature),
	 * and no backend offers them, so they share the class of VMX:
	 * kept on bare hardware, #UD under Xen.
	 * SEV-SNP, TDX, SMX, SMM, MKTME, CET supervisor shadow stacks, DSA
	 * supervisor commands, HRESET, Key Locker, FRED and LKGS.
	 */
	{ "pvalidate", "", PREVIRT_CLASS_VMX },
	{ "rmpupdate", "", PREVIRT_CLASS_VMX },
	{ "rmpadjust", "", PREVIRT_CLASS_VMX },
	{ "rmpquery", "", PREVIRT_CLASS_VMX },
	{ "rmpread", "", PREVIRT_CLASS_VMX },
	{ "psmash", "", PREVIRT_CLASS_VMX },
	{ "tdcall", "", PREVIRT_CLASS_VMX },
	{ "seamcall", "", PREVIRT_CLASS_VMX },
	{ "seamret", "", PREVIRT_CLASS_VMX },
	{ "seamops", "", PREVIRT_CLASS_VMX },
	{ "getsec", "", PREVIRT_CLASS_VMX },
	{ "rsm", "", PREVIRT_CLASS_VMX },
	{ "pconfig", "", PREVIRT_CLASS_VMX },
	{ "setssbsy", "", PREVIRT_CLASS_VMX },
	{ "clrssbsy", "", PREVIRT_CLASS_VMX },
	{ "wrussd", "", PREVIRT_CLASS_VMX },
	{ "wrussq", "", PREVIRT_CLASS_VMX },
	{ "enqcmds", "", PREVIRT_CLASS_VMX },
	{ "hreset", "", PREVIRT_CLASS_VMX },
	{ "loadiwkey", "", PREVIRT_CLASS_VMX },
	{ "erets", "", PREVIRT_CLASS_VMX },
	{ "eretu", "", PREVIRT_CLASS_VMX },
	{ "lkgs", "", PREVIRT_CLASS_VMX },
};

/* Words that may stand before a mnemonic without being one. */
static const char *const x86_prefixes[] = {
	"lock", "rep", "repe", "repz", "repne", "repnz", "data16", "data32",
	"addr16", "addr32", "rex", "rex64", "notrack", "bnd", "xacquire",
	"xrelease", "cs", "ds", "es", "fs", "gs", "ss",
};

static const char *const seg_regs[] = { "cs", "ds", "es", "fs", "gs", "ss" };

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define WORD_MAX 48

static int is_word_end(int c)
{
	return c == '\0' || isspace((unsigned char)c) || c == ';';
}

/* Copy one lower-cased word, reading "%%" as "%". Returns chars consumed. */
static size_t take_word(const char *s, char *w)
{
	size_t i = 0, n = 0;

	while (!is_word_end(s[i])) {
		if (s[i] == '%' && s[i + 1] == '%')
			i++;
		if (n + 1 < WORD_MAX)
			w[n++] = (char)tolower((unsigned char)s[i]);
		i++;
	}
	w[n] = '\0';
	return i;
}

static int is_prefix(const char *w)
{
	size_t i;

	if (strncmp(w, "rex.", 4) == 0 || (w[0] == '{' && w[strlen(w) - 1] == '}'))
		return 1;	/* rex.W and {vex}-style pseudo prefixes */
	for (i = 0; i < ARRAY_LEN(x86_prefixes); i++)
		if (strcmp(w, x86_prefixes[i]) == 0)
			return 1;
	return 0;
}

static int lookup_stem(const char *m)
{
	size_t i, len = strlen(m);

	for (i = 0; i < ARRAY_LEN(x86_table); i++)
		if (strcmp(m, x86_table[i].stem) == 0)
			return x86_table[i].klass;
	if (len < 2)
		return 0;
	for (i = 0; i < ARRAY_LEN(x86_table); i++) {
		size_t sl = strlen(x86_table[i].stem);

		if (sl + 1 == len && strncmp(m, x86_table[i].stem, sl) == 0 &&
		    strchr(x86_table[i].suffixes, m[sl]) && m[sl] != '\0')
			return x86_table[i].klass;
	}
	return 0;
}

/* "mov", "movl", "movq", "movw" (and "push"/"pop" likewise)? */
static int is_family(const char *m, const char *stem, const char *suffixes)
{
	size_t sl = strlen(stem);

	if (strncmp(m, stem, sl) != 0)
		return 0;
	return m[sl] == '\0' || (m[sl + 1] == '\0' && strchr(suffixes, m[sl]));
}

/*
 * Split AT&T operands at top-level commas into lower-cased, trimmed
 * words; "%%" reads as "%". Comments (# to the end) are dropped.
 */
#define MAX_OPS 4
static int split_operands(const char *s, char ops[MAX_OPS][WORD_MAX], int *has_mem)
{
	int n = 0, depth = 0;
	size_t len = 0;

	*has_mem = 0;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	for (;; s++) {
		char c = *s;

		if (c == '%' && s[1] == '%')
			continue;
		if (c == '(')
			depth++, *has_mem = 1;
		if (c == ')')
			depth--;
		if (c == '\0' || c == '#' || c == ';' || (c == ',' && depth == 0)) {
			while (len && isspace((unsigned char)ops[n][len - 1]))
				len--;
			ops[n][len] = '\0';
			if (++n == MAX_OPS || c != ',')
				break;
			len = 0;
			while (isspace((unsigned char)s[1]))
				s++;
			continue;
		}
		if (len + 1 < WORD_MAX)
			ops[n][len++] = (char)tolower((unsigned char)c);
	}
	return n;
}

static int is_seg_reg(const char *op)
{
	size_t i;

	if (op[0] != '%')
		return 0;
	for (i = 0; i < ARRAY_LEN(seg_regs); i++)
		if (strcmp(op + 1, seg_regs[i]) == 0)
			return 1;
	return 0;
}

static int is_reg_class(const char *op, const char *a, const char *b)
{
	if (op[0] != '%')
		return 0;
	if (strncmp(op + 1, a, 2) == 0 || (b && strncmp(op + 1, b, 2) == 0))
		return isdigit((unsigned char)op[3]);
	return 0;
}

/*
 * A bare symbol or displacement without '$' or '%' is a memory operand in
 * AT&T syntax ("lgdt gdt_desc"), as is anything with parentheses.
 */
static int operand_is_mem(const char *op)
{
	if (strchr(op, '('))
		return 1;
	return op[0] != '\0' && op[0] != '$' && op[0] != '%' && op[0] != '*';
}

enum pv_x86_verdict pv_x86_classify(const char *text, struct pv_x86_insn *out)
{
	char w[WORD_MAX], ops[MAX_OPS][WORD_MAX];
	const char *s = text;
	int nops, i, klass, rep = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0' || *s == '#' || *s == ';') {
			out->prefix_only = (s != text);
			return out->verdict = PV_X86_PLAIN;
		}
		s += take_word(s, w);
		if (!is_prefix(w))
			break;
		if (strncmp(w, "rep", 3) == 0)
			rep = 1;
	}

	nops = split_operands(s, ops, &out->has_mem_operand);
	for (i = 0; i < nops; i++)
		if (operand_is_mem(ops[i]))
			out->has_mem_operand = 1;

	{
		/*
		 * A mnemonic that holds an operand ("outs%z0") is classified by
		 * what stands before the '%'; one that is all operand ("%0")
		 * cannot be classified at all.
		 */
		char *pct = strchr(w, '%');

		if (pct) {
			*pct = '\0';
			if (w[0] == '\0' || !isalpha((unsigned char)w[0]))
				return out->verdict = PV_X86_OPAQUE;
			/* strip a trailing size letter the operand would have given */
		}
	}

	klass = lookup_stem(w);
	/*
	 * f3/f2 0f 01 ca is FRED's eretu/erets, which binutils 2.40 does not
	 * know and prints as "repz clac"/"repnz clac": a return to another
	 * privilege level, never stac/clac.
	 */
	if (rep && klass == PREVIRT_CLASS_SMAP && strcmp(w, "clac") == 0)
		klass = PREVIRT_CLASS_VMX;
	if (!klass && (is_family(w, "mov", "bwlq") || strcmp(w, "movabs") == 0)) {
		for (i = 0; i < nops; i++) {
			if (is_reg_class(ops[i], "cr", NULL))
				klass = PREVIRT_CLASS_CR;
			else if (is_reg_class(ops[i], "db", "dr"))
				klass = PREVIRT_CLASS_DR;
		}
		if (!klass && nops == 2 && is_seg_reg(ops[1]))
			klass = PREVIRT_CLASS_SEG_WRITE;
		else if (!klass && nops == 2 && is_seg_reg(ops[0]))
			klass = PREVIRT_CLASS_SEG_READ;
	} else if (!klass && nops == 1 && is_seg_reg(ops[0])) {
		if (is_family(w, "push", "wlq"))
			klass = PREVIRT_CLASS_SEG_READ;
		else if (is_family(w, "pop", "wlq"))
			klass = PREVIRT_CLASS_SEG_WRITE;
	}
	out->klass = klass;
	return out->verdict = klass ? PV_X86_SENSITIVE : PV_X86_PLAIN;
}

/* ------------------------------------------------------------ raw bytes */

struct x86_encoding {
	unsigned char len;
	unsigned char b[5];
	signed char klass;	/* 0: harmless */
};

/*
 * Encodings that kernels write as .byte when an old assembler lacks the
 * mnemonic, plus the canonical NOPs, so that padding and prefixes written as
 * bytes do not raise a warning. A REX.W (0x48) prefix is accepted in front of
 * each entry. Anything else is "unknown" and the caller warns.
 */
static const struct x86_encoding x86_encodings[] = {
	{ 1, { 0xfa }, PREVIRT_CLASS_CLI },
	{ 1, { 0xfb }, PREVIRT_CLASS_STI },
	{ 1, { 0xf4 }, PREVIRT_CLASS_HLT },
	{ 1, { 0x9c }, PREVIRT_CLASS_PUSHF },
	{ 1, { 0x9d }, PREVIRT_CLASS_POPF },
	{ 1, { 0xcf }, PREVIRT_CLASS_KRET },
	{ 2, { 0x0f, 0x07 }, PREVIRT_CLASS_KRET },
	{ 2, { 0x0f, 0x35 }, PREVIRT_CLASS_KRET },
	{ 2, { 0x0f, 0x06 }, PREVIRT_CLASS_CR },
	{ 2, { 0x0f, 0x08 }, PREVIRT_CLASS_CACHE },
	{ 2, { 0x0f, 0x09 }, PREVIRT_CLASS_CACHE },
	{ 3, { 0xf3, 0x0f, 0x09 }, PREVIRT_CLASS_CACHE },
	{ 2, { 0x0f, 0x30 }, PREVIRT_CLASS_MSR },
	{ 2, { 0x0f, 0x32 }, PREVIRT_CLASS_MSR },
	{ 2, { 0x0f, 0x31 }, PREVIRT_CLASS_TSC },
	{ 3, { 0x0f, 0x01, 0xf9 }, PREVIRT_CLASS_TSC },
	{ 2, { 0x0f, 0x33 }, PREVIRT_CLASS_PMC },
	{ 2, { 0x0f, 0xa2 }, PREVIRT_CLASS_CPUID },
	{ 3, { 0x0f, 0x01, 0xf8 }, PREVIRT_CLASS_SWAPGS },
	{ 3, { 0x0f, 0x01, 0xd1 }, PREVIRT_CLASS_XCR },
	{ 3, { 0x0f, 0x01, 0xc8 }, PREVIRT_CLASS_MWAIT },
	{ 3, { 0x0f, 0x01, 0xc9 }, PREVIRT_CLASS_MWAIT },
	{ 3, { 0x0f, 0x01, 0xfa }, PREVIRT_CLASS_MWAIT },	/* monitorx */
	{ 3, { 0x0f, 0x01, 0xfb }, PREVIRT_CLASS_MWAIT },	/* mwaitx */
	{ 3, { 0x0f, 0x01, 0xca }, PREVIRT_CLASS_SMAP },
	{ 3, { 0x0f, 0x01, 0xcb }, PREVIRT_CLASS_SMAP },
	{ 3, { 0x0f, 0x01, 0xc1 }, PREVIRT_CLASS_VMX },
	{ 3, { 0x0f, 0x01, 0xd9 }, PREVIRT_CLASS_VMX },
	{ 3, { 0x0f, 0x01, 0xd0 }, 0 },			/* xgetbv */
	{ 3, { 0x0f, 0x01, 0xd5 }, 0 },			/* xend */
	{ 3, { 0x0f, 0x01, 0xd6 }, 0 },			/* xtest */
	{ 3, { 0x0f, 0x01, 0xe8 }, 0 },			/* serialize */
	{ 3, { 0x0f, 0x01, 0xee }, 0 },			/* rdpkru */
	{ 3, { 0x0f, 0x01, 0xef }, 0 },			/* wrpkru */
	{ 5, { 0xc4, 0xe2, 0x78, 0x49, 0xc0 }, 0 },	/* tilerelease */
	{ 1, { 0x90 }, 0 },
	{ 2, { 0x66, 0x90 }, 0 },
	{ 2, { 0x0f, 0x0b }, 0 },			/* ud2 */
	{ 3, { 0x0f, 0x1f, 0x00 }, 0 },
	{ 4, { 0x0f, 0x1f, 0x40, 0x00 }, 0 },
};

/* Length of a "0f 1f /0" multi-byte NOP from its ModRM, or 0. */
static unsigned int nopl_len(const unsigned char *b, unsigned int n)
{
	unsigned int i = 0, mod, rm, len;

	while (i < n && (b[i] == 0x66 || b[i] == 0x2e || b[i] == 0x3e))
		i++;
	if (n < i + 3 || b[i] != 0x0f || b[i + 1] != 0x1f)
		return 0;
	mod = b[i + 2] >> 6;
	rm = b[i + 2] & 7;
	len = i + 3 + (rm == 4 && mod != 3);
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;
	return len;
}

/* Length of a ModRM memory operand (ModRM, SIB, displacement), or 0 for a register. */
static unsigned int modrm_mem_len(const unsigned char *m, unsigned int n)
{
	unsigned int mod, rm, len = 1;

	if (n < 1)
		return 0;
	mod = m[0] >> 6;
	rm = m[0] & 7;
	if (mod == 3)
		return 0;
	if (rm == 4) {
		if (n < 2)
			return 0;
		len++;
		if (mod == 0 && (m[1] & 7) == 5)
			len += 4;
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;
	return len <= n ? len : 0;
}

/*
 * The XSAVE family, which kernels spell in bytes (with REX.W for the 64-bit
 * forms): only xsaves and xrstors are privileged. Returns the class, 0 for a
 * harmless member, -1 when the bytes are not one of them.
 */
static int xsave_family(const unsigned char *b, unsigned int n)
{
	unsigned int reg, len;

	if (n < 3 || b[0] != 0x0f || (b[1] != 0xae && b[1] != 0xc7))
		return -1;
	len = modrm_mem_len(b + 2, n - 2);
	if (!len || len + 2 != n)
		return -1;
	reg = (b[2] >> 3) & 7;
	if (b[1] == 0xae)	/* fxsave fxrstor ... xsave xrstor xsaveopt clflush */
		return reg == 2 || reg == 3 ? -1 : 0;
	if (reg == 3 || reg == 5)
		return PREVIRT_CLASS_XSAVES;
	return reg == 1 || reg == 4 ? 0 : -1;	/* cmpxchg8b/16b, xsavec */
}

/*
 * Instructions with a mandatory prefix, a ModRM byte or an immediate, as
 * kernels spell them in bytes for assemblers that lack the mnemonic
 * (Linux: ".byte 0x66,0x0f,0x38,0x82,0x01" for invpcid, ".byte
 * 0xf2,0x0f,0x01,0xff" for pvalidate). The match is structural: the
 * mandatory prefix, then in 64-bit code an optional REX, the opcode map
 * and opcode, a ModRM of the allowed form with its SIB and displacement,
 * and the immediate, and nothing more.
 */
#define FORM_EXACT	0	/* ModRM is exactly 'modrm' */
#define FORM_MEM	1	/* ModRM names memory; reg field 'reg' unless ANY_REG */
#define FORM_REG	2	/* ModRM names a register */
#define FORM_ANY	3
#define FORM_NONE	4	/* no ModRM */
#define ANY_REG		8

struct x86_form {
	unsigned char pfx;	/* mandatory prefix 0x66, 0xf2, 0xf3, or 0 for none */
	unsigned char map;	/* 1: 0f, 2: 0f 38, 3: 0f 3a */
	unsigned char op;
	unsigned char form;
	unsigned char modrm;	/* FORM_EXACT: the byte; else the reg field or ANY_REG */
	unsigned char imm;	/* immediate bytes */
	unsigned char only64;	/* #UD outside 64-bit mode */
	signed char klass;
};

static const struct x86_form x86_forms[] = {
	/* 0f 01 with a register ModRM: one instruction per byte */
	{ 0, 1, 0x01, FORM_EXACT, 0xc0, 0, 0, PREVIRT_CLASS_VMX },	/* enclv */
	{ 0, 1, 0x01, FORM_EXACT, 0xc2, 0, 0, PREVIRT_CLASS_VMX },	/* vmlaunch */
	{ 0, 1, 0x01, FORM_EXACT, 0xc3, 0, 0, PREVIRT_CLASS_VMX },	/* vmresume */
	{ 0, 1, 0x01, FORM_EXACT, 0xc4, 0, 0, PREVIRT_CLASS_VMX },	/* vmxoff */
	{ 0, 1, 0x01, FORM_EXACT, 0xc5, 0, 0, PREVIRT_CLASS_VMX },	/* pconfig */
	{ 0, 1, 0x01, FORM_EXACT, 0xc6, 0, 0, PREVIRT_CLASS_MSR },	/* wrmsrns */
	{ 0xf2, 1, 0x01, FORM_EXACT, 0xc6, 0, 1, PREVIRT_CLASS_MSR },	/* rdmsrlist */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xc6, 0, 1, PREVIRT_CLASS_MSR },	/* wrmsrlist */
	{ 0xf2, 1, 0x01, FORM_EXACT, 0xca, 0, 1, PREVIRT_CLASS_VMX },	/* erets */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xca, 0, 1, PREVIRT_CLASS_VMX },	/* eretu */
	{ 0x66, 1, 0x01, FORM_EXACT, 0xcc, 0, 0, PREVIRT_CLASS_VMX },	/* tdcall */
	{ 0x66, 1, 0x01, FORM_EXACT, 0xcd, 0, 1, PREVIRT_CLASS_VMX },	/* seamret */
	{ 0x66, 1, 0x01, FORM_EXACT, 0xce, 0, 1, PREVIRT_CLASS_VMX },	/* seamops */
	{ 0, 1, 0x01, FORM_EXACT, 0xcf, 0, 0, PREVIRT_CLASS_VMX },	/* encls */
	{ 0x66, 1, 0x01, FORM_EXACT, 0xcf, 0, 1, PREVIRT_CLASS_VMX },	/* seamcall */
	{ 0, 1, 0x01, FORM_EXACT, 0xd4, 0, 0, PREVIRT_CLASS_VMX },	/* vmfunc */
	{ 0, 1, 0x01, FORM_EXACT, 0xd7, 0, 0, 0 },			/* enclu: user */
	{ 0, 1, 0x01, FORM_EXACT, 0xd8, 0, 0, PREVIRT_CLASS_VMX },	/* vmrun */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xd9, 0, 0, PREVIRT_CLASS_VMX },	/* vmgexit */
	{ 0xf2, 1, 0x01, FORM_EXACT, 0xd9, 0, 0, PREVIRT_CLASS_VMX },	/* vmgexit (either rep) */
	{ 0, 1, 0x01, FORM_EXACT, 0xda, 0, 0, PREVIRT_CLASS_VMX },	/* vmload */
	{ 0, 1, 0x01, FORM_EXACT, 0xdb, 0, 0, PREVIRT_CLASS_VMX },	/* vmsave */
	{ 0, 1, 0x01, FORM_EXACT, 0xdc, 0, 0, PREVIRT_CLASS_VMX },	/* stgi */
	{ 0, 1, 0x01, FORM_EXACT, 0xdd, 0, 0, PREVIRT_CLASS_VMX },	/* clgi */
	{ 0, 1, 0x01, FORM_EXACT, 0xde, 0, 0, PREVIRT_CLASS_VMX },	/* skinit */
	{ 0, 1, 0x01, FORM_EXACT, 0xdf, 0, 0, PREVIRT_CLASS_TLB },	/* invlpga */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xe8, 0, 0, PREVIRT_CLASS_VMX },	/* setssbsy */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xfa, 0, 0, 0 },			/* mcommit: user */
	{ 0, 1, 0x01, FORM_EXACT, 0xfe, 0, 0, PREVIRT_CLASS_TLB },	/* invlpgb */
	{ 0xf2, 1, 0x01, FORM_EXACT, 0xfe, 0, 1, PREVIRT_CLASS_VMX },	/* rmpupdate */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xfe, 0, 1, PREVIRT_CLASS_VMX },	/* rmpadjust */
	{ 0, 1, 0x01, FORM_EXACT, 0xff, 0, 0, PREVIRT_CLASS_TLB },	/* tlbsync */
	{ 0xf2, 1, 0x01, FORM_EXACT, 0xff, 0, 0, PREVIRT_CLASS_VMX },	/* pvalidate */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xff, 0, 1, PREVIRT_CLASS_VMX },	/* psmash */
	{ 0xf3, 1, 0x01, FORM_EXACT, 0xfd, 0, 1, PREVIRT_CLASS_VMX },	/* rmpquery */
	{ 0xf2, 1, 0x01, FORM_EXACT, 0xfd, 0, 1, PREVIRT_CLASS_VMX },	/* rmpread */
	/* one-byte-map-0f instructions without ModRM */
	{ 0, 1, 0x37, FORM_NONE, 0, 0, 0, PREVIRT_CLASS_VMX },		/* getsec */
	{ 0, 1, 0xaa, FORM_NONE, 0, 0, 0, PREVIRT_CLASS_VMX },		/* rsm */
	/* with a ModRM operand */
	{ 0x66, 2, 0x80, FORM_MEM, ANY_REG, 0, 0, PREVIRT_CLASS_VMX },	/* invept */
	{ 0x66, 2, 0x81, FORM_MEM, ANY_REG, 0, 0, PREVIRT_CLASS_VMX },	/* invvpid */
	{ 0x66, 2, 0x82, FORM_MEM, ANY_REG, 0, 0, PREVIRT_CLASS_TLB },	/* invpcid */
	{ 0x66, 2, 0xf5, FORM_MEM, ANY_REG, 0, 0, PREVIRT_CLASS_VMX },	/* wrussd/q */
	{ 0xf3, 2, 0xf8, FORM_MEM, ANY_REG, 0, 0, PREVIRT_CLASS_VMX },	/* enqcmds */
	{ 0xf3, 2, 0xdc, FORM_REG, ANY_REG, 0, 0, PREVIRT_CLASS_VMX },	/* loadiwkey */
	{ 0xf3, 3, 0xf0, FORM_EXACT, 0xc0, 1, 0, PREVIRT_CLASS_VMX },	/* hreset $imm8 */
	{ 0xf3, 1, 0xae, FORM_MEM, 6, 0, 0, PREVIRT_CLASS_VMX },	/* clrssbsy */
	{ 0xf2, 1, 0x00, FORM_ANY, 6, 0, 1, PREVIRT_CLASS_VMX },	/* lkgs */
	{ 0, 1, 0x78, FORM_ANY, ANY_REG, 0, 0, PREVIRT_CLASS_VMX },	/* vmread */
	{ 0, 1, 0x79, FORM_ANY, ANY_REG, 0, 0, PREVIRT_CLASS_VMX },	/* vmwrite */
	{ 0, 1, 0xc7, FORM_MEM, 6, 0, 0, PREVIRT_CLASS_VMX },		/* vmptrld */
	{ 0x66, 1, 0xc7, FORM_MEM, 6, 0, 0, PREVIRT_CLASS_VMX },	/* vmclear */
	{ 0xf3, 1, 0xc7, FORM_MEM, 6, 0, 0, PREVIRT_CLASS_VMX },	/* vmxon */
	{ 0, 1, 0xc7, FORM_MEM, 7, 0, 0, PREVIRT_CLASS_VMX },		/* vmptrst */
	/* Their user-level neighbours, which kernels spell in bytes too: harmless. */
	{ 0xf3, 1, 0xc7, FORM_REG, 7, 0, 0, 0 },			/* rdpid */
	{ 0x66, 1, 0xae, FORM_MEM, 6, 0, 0, 0 },			/* clwb */
	{ 0x66, 1, 0xae, FORM_MEM, 7, 0, 0, 0 },			/* clflushopt */
	{ 0x66, 1, 0xae, FORM_REG, 6, 0, 0, 0 },			/* tpause */
	{ 0xf2, 1, 0xae, FORM_REG, 6, 0, 0, 0 },			/* umwait */
	{ 0xf3, 1, 0xae, FORM_REG, 6, 0, 0, 0 },			/* umonitor */
	{ 0x66, 2, 0xf8, FORM_MEM, ANY_REG, 0, 0, 0 },			/* movdir64b */
	{ 0xf2, 2, 0xf8, FORM_MEM, ANY_REG, 0, 0, 0 },			/* enqcmd */
};

/*
 * Does the ModRM at m (n bytes left) have the form f asks for? Returns its
 * length with SIB and displacement (0 for FORM_NONE), or -1.
 */
static int form_modrm_len(const struct x86_form *f, const unsigned char *m, unsigned int n)
{
	unsigned int reg;

	if (f->form == FORM_NONE)
		return 0;
	if (n < 1)
		return -1;
	if (f->form == FORM_EXACT)
		return m[0] == f->modrm ? 1 : -1;
	reg = (m[0] >> 3) & 7;
	if (f->modrm != ANY_REG && reg != f->modrm)
		return -1;
	if ((m[0] >> 6) == 3)
		return f->form == FORM_MEM ? -1 : 1;
	if (f->form == FORM_REG)
		return -1;
	return modrm_mem_len(m, n) ? (int)modrm_mem_len(m, n) : -1;
}

static int prefixed_form(const unsigned char *b, unsigned int n, int bits)
{
	unsigned int i = 0;
	unsigned char pfx = 0, map = 1;
	int mlen;
	size_t k;

	if (n && (b[0] == 0x66 || b[0] == 0xf2 || b[0] == 0xf3))
		pfx = b[i++];
	if (bits == 64 && i < n && (b[i] & 0xf0) == 0x40)
		i++;
	if (n < i + 2 || b[i] != 0x0f)
		return -1;
	i++;
	if (b[i] == 0x38 || b[i] == 0x3a)
		map = b[i++] == 0x38 ? 2 : 3;
	if (i >= n)
		return -1;
	for (k = 0; k < ARRAY_LEN(x86_forms); k++) {
		const struct x86_form *f = &x86_forms[k];

		if (f->pfx != pfx || f->map != map || f->op != b[i])
			continue;
		if (f->only64 && bits != 64)
			continue;
		mlen = form_modrm_len(f, b + i + 1, n - i - 1);
		if (mlen >= 0 && i + 1 + (unsigned int)mlen + f->imm == n)
			return f->klass;
	}
	return -1;
}

int pv_x86_branch_opcode(const unsigned char *b, unsigned int n)
{
	/* call rel32, jmp rel32, and 0f 8x jcc rel32, written before a .long */
	return (n == 1 && (b[0] == 0xe8 || b[0] == 0xe9)) ||
	       (n == 2 && b[0] == 0x0f && (b[1] & 0xf0) == 0x80);
}

int pv_x86_classify_bytes(const unsigned char *b, unsigned int n, int bits)
{
	size_t i;
	unsigned int skip = 0;
	int k;

	if (n == 0)
		return -1;
	if (bits == 64 && n > 1 && (b[0] & 0xf0) == 0x40)
		skip = 1;	/* REX: iretq, sysretq */
	for (i = 0; i < ARRAY_LEN(x86_encodings); i++) {
		const struct x86_encoding *e = &x86_encodings[i];

		if (n - skip == e->len && memcmp(b + skip, e->b, e->len) == 0)
			return e->klass;
	}
	if (nopl_len(b, n) == n)
		return 0;
	/* ud1 with a register operand: Linux's static-call trap ("0f b9 cc"). */
	if (n == 3 && b[0] == 0x0f && b[1] == 0xb9 && (b[2] >> 6) == 3)
		return 0;
	/* One segment, size or lock/rep prefix byte ahead of an instruction. */
	if (n == 1 && strchr("\x26\x2e\x36\x3e\x64\x65\x66\x67\xf0\xf2\xf3", b[0]) && b[0])
		return 0;
	k = xsave_family(b + skip, n - skip);
	return k >= 0 ? k : prefixed_form(b, n, bits);
}

/* ------------------------------------------------ forced emulation */

static int is_fep_signature(const unsigned char *b, unsigned int n)
{
	return n == 3 && (memcmp(b, "xen", 3) == 0 || memcmp(b, "kvm", 3) == 0);
}

enum pv_x86_fep pv_x86_fep_step(enum pv_x86_fep state, const unsigned char *b, unsigned int n)
{
	static const unsigned char ud2[2] = { 0x0f, 0x0b };

	if (n == 2 && memcmp(b, ud2, 2) == 0)
		return PV_FEP_UD2;
	if (n == 5 && memcmp(b, ud2, 2) == 0 && is_fep_signature(b + 2, 3))
		return PV_FEP_DONE;
	if (state == PV_FEP_UD2 && is_fep_signature(b, n))
		return PV_FEP_DONE;
	return PV_FEP_NONE;
}
