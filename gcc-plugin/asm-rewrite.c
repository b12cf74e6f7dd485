// SPDX-License-Identifier: MIT
/*
 * The asm template rewriter.
 *
 * A template is split into statements at newlines and ';' (outside quotes
 * and comments), as gas will split it. Each statement is read for labels,
 * then for a directive or an instruction. Instructions that the x86 table
 * calls sensitive get, in place:
 *
 *	8841:	<the instruction, byte-exact, prefix statements included>
 *	8842:	padding up to the class budget (canonical multi-byte NOPs)
 *	8843:	a previrt_sites record, by .pushsection
 *
 * Numeric local labels need no '%', so the same text is correct in basic,
 * extended and top-level asm, and every copy GCC makes of a statement
 * (inlining, unrolling, cloning) assembles to a sled and record of its own.
 *
 * Only code in the function's own section is touched: anything between
 * .pushsection/.popsection or after .section until .previous (Linux's
 * alternative replacements, exception tables) is not executed in place and
 * is left alone. Text we cannot see through (raw bytes, asm macros,
 * operands standing for mnemonics) is never guessed at: it draws a
 * diagnostic and stays as it was.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asm-edits.h"
#include "asm-text.h"
#include "asm-rewrite.h"
#include "asm-sled.h"
#include "device-access.h"
#include "x86-classify.h"

#define SEC_STACK 16

/* What the text in the current section is, for the rewrite. */
#define CODE_DATA	0	/* data, or code copied elsewhere first: leave alone */
#define CODE_OURS	1	/* executed where it is assembled: annotate */
#define CODE_FOREIGN	2	/* executable, but not the function's section: report */

struct rewriter {
	struct pv_unit *u;
	struct pv_result *res;
	const char *t;
	enum pv_template_kind kind;
	int device;

	int code[SEC_STACK];	/* per section level: CODE_* */
	int prev_code;		/* for .previous */
	int sp;
	int mode;		/* 16, 32, 64 from .codeNN */
	int macro;		/* index of the macro being defined, or -1 */
	int in_macro_def;
	int rel32_next;		/* a branch opcode was written as .byte: its .long follows */
	long prefix_at;		/* start of a pending prefix-only statement */
	long sti_at;		/* an sti waiting for its successor (flush_sti), or -1 */
	long sti_labels_at;
	size_t sti_end;
	long labels_at;		/* first label of the current statement, or -1 */
	int sti_flags;
	int sti_unsure;		/* 'unsure' as it was at that sti */
	int label_clash;	/* 1: the template spells the sled labels; 2: said so */
	int unsure;		/* since the last instruction statement, bytes previrt did not
				 * parse may have been written: the next site cannot vouch
				 * for its boundary (PREVIRT_F_BOUNDARY) */
	enum pv_x86_fep fep;	/* a forced-emulation prefix is being read */

	struct pv_edits edits;
};

void pv_unit_init(struct pv_unit *u, int bits)
{
	memset(u, 0, sizeof(*u));
	u->opt.bits = bits;
	memset(u->opt.class_enabled, 1, sizeof(u->opt.class_enabled));
	u->opt.class_enabled[PREVIRT_CLASS_INVALID] = 0;
}

int pv_select_classes(struct pv_unit *u, const char *list, int enable, const char **bad)
{
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		unsigned int c;
		int found = 0;

		if (n == 3 && strncmp(p, "all", 3) == 0) {
			for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
				u->opt.class_enabled[c] = (unsigned char)enable;
			found = 1;
		} else if (n == 4 && strncmp(p, "none", 4) == 0) {
			for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
				u->opt.class_enabled[c] = (unsigned char)!enable;
			found = 1;
		}
		for (c = 1; !found && c < PREVIRT_CLASS_COUNT; c++) {
			const char *name = previrt_class_name(c);

			if (strlen(name) == n && strncmp(name, p, n) == 0) {
				u->opt.class_enabled[c] = (unsigned char)enable;
				found = 1;
			}
		}
		if (!found) {
			*bad = p;
			return -1;
		}
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

void pv_result_free(struct pv_result *res)
{
	free(res->text);
	res->text = NULL;
}

const char *pv_diag_kind_name(enum pv_diag_kind k)
{
	static const char *const names[PV_DIAG_KINDS] = {
		"opaque-mnemonic", "raw-bytes", "asm-macro", "unsupported",
		"other-section", "real-mode", "forced-emulation", "refused",
	};
	return (unsigned int)k < PV_DIAG_KINDS ? names[k] : "?";
}

void pv_result_diag(struct pv_unit *u, struct pv_result *res, const char *tmpl, size_t at,
		    enum pv_diag_kind kind, const char *fmt, const char *arg)
{
	struct pv_diag *d;
	size_t i;
	int line = 1;

	u->warnings++;
	res->per_kind[kind]++;
	if (res->ndiags == PV_MAX_DIAGS)
		return;
	for (i = 0; i < at; i++)
		line += tmpl[i] == '\n';
	d = &res->diags[res->ndiags++];
	d->kind = kind;
	d->line = line;
	snprintf(d->msg, sizeof(d->msg), fmt, arg);
}

static void diag(struct rewriter *r, enum pv_diag_kind kind, size_t at, const char *fmt,
		 const char *arg)
{
	pv_result_diag(r->u, r->res, r->t, at, kind, fmt, arg);
}

static void add_edit(struct rewriter *r, size_t at, const char *text)
{
	pv_edits_add(&r->edits, at, text);
}

/* Copy [a, b) trimmed into w (at most n-1 chars). */
static void copy_trim(const char *a, const char *b, char *w, size_t n)
{
	size_t len;

	while (a < b && isspace((unsigned char)*a))
		a++;
	while (b > a && isspace((unsigned char)b[-1]))
		b--;
	len = (size_t)(b - a);
	if (len >= n)
		len = n - 1;
	memcpy(w, a, len);
	w[len] = '\0';
}

/* Is a section of this name code that executes where it was assembled? */
static int is_text_section(const char *name)
{
	size_t n = strlen(name);

	return strcmp(name, ".text") == 0 || strncmp(name, ".text.", 6) == 0 ||
	       (n > 5 && strcmp(name + n - 5, ".text") == 0);
}

/*
 * Sections whose code is a template copied over another site before it
 * runs (Linux's alternatives): the copy's destination is what counts, and
 * previrt-audit leaves these out too.
 */
static int is_copy_source(const char *name)
{
	return strcmp(name, ".altinstr_replacement") == 0;
}

/*
 * Where does a section switch lead? In a function, only the function's own
 * section is annotated (we cannot know that ".text" is it), and other code
 * that runs where it lies draws a diagnostic instead. At top level there is
 * no function, so any executable section is code to annotate.
 */
static int switch_target(struct rewriter *r, const char *name, const char *flags)
{
	int exec = is_text_section(name) || strchr(flags, 'x') != NULL;

	if (!exec || is_copy_source(name))
		return CODE_DATA;
	return r->kind == PV_TEMPLATE_TOPLEVEL ? CODE_OURS : CODE_FOREIGN;
}

/*
 * One site from start to end (prefix statements before it included), in
 * the given shape (asm-sled.c writes the text).
 */
static void emit_shaped(struct rewriter *r, size_t start, size_t end, int klass, int flags,
			enum pv_sled_shape shape)
{
	char lead[256], before[1600], after[3072];
	size_t lead_at;
	struct pv_sled_spec sp;

	if (r->label_clash) {
		/* once per template: nothing in it is annotated */
		if (r->label_clash == 1)
			diag(r, PV_DIAG_UNSUPPORTED, start, "%s",
			     "the template uses previrt's sled labels 8841/8842/8843: "
			     "not annotated; rename them");
		r->label_clash = 2;
		return;
	}
	/* padding first: before the labels of the instruction's statement */
	lead_at = r->labels_at >= 0 && (size_t)r->labels_at < start ? (size_t)r->labels_at : start;
	if (r->prefix_at >= 0) {
		start = (size_t)r->prefix_at;
		lead_at = start;
		flags |= PREVIRT_F_PREFIXED;
	}
	if (!r->unsure)
		flags |= PREVIRT_F_BOUNDARY;
	sp.shape = shape;
	sp.nopl = r->u->opt.no_nopl ? 0 : 1;
	sp.arch = r->mode == 32 ? PREVIRT_ARCH_X86_32 :
		  r->u->opt.bits == 64 && r->mode == 64 ? PREVIRT_ARCH_X86_64 :
		  PREVIRT_ARCH_X86_32;
	sp.klass = klass;
	sp.flags = flags;
	/* top-level asm has no function whose section it could follow */
	sp.link_sym = r->kind == PV_TEMPLATE_TOPLEVEL ? NULL : r->u->link_sym;
	sp.link_group = r->kind == PV_TEMPLATE_TOPLEVEL ? NULL : r->u->link_group;
	sp.label = r->u->sites;
	pv_sled_text(&sp, lead, sizeof(lead), before, sizeof(before), after, sizeof(after));
	if (lead[0])
		add_edit(r, lead_at, lead);
	add_edit(r, start, before);
	add_edit(r, end, after);
	r->res->sites++;
	r->res->per_class[klass]++;
	r->u->sites++;
	r->u->per_class[klass]++;
}

/*
 * An sti waits for the next statement: if that is hlt or mwait, the two
 * become one site; anything else (a label, a directive, another
 * instruction, the template's end) gets the sti padded before it.
 */
static void flush_sti(struct rewriter *r)
{
	long keep = r->prefix_at;
	long keep_labels = r->labels_at;
	int keep_unsure = r->unsure;

	if (r->sti_at < 0)
		return;
	r->prefix_at = -1;
	r->labels_at = r->sti_labels_at;
	r->unsure = r->sti_unsure;	/* the sled starts at the sti: what came before it counts */
	emit_shaped(r, (size_t)r->sti_at, r->sti_end, PREVIRT_CLASS_STI, r->sti_flags,
		    PV_SLED_PAD_FIRST);
	r->prefix_at = keep;
	r->labels_at = keep_labels;
	r->unsure = keep_unsure;
	r->sti_at = -1;
}

/*
 * Does the instruction open an interrupt shadow or trap after its
 * successor? mov or pop to %ss does; lss does not (only mov and pop
 * inhibit). popf may set TF: it is padded first in every case.
 */
static int writes_ss(const char *stmt)
{
	const char *last = strrchr(stmt, ',');
	const char *op = last ? last + 1 : stmt + strcspn(stmt, " \t");

	if (strncmp(stmt, "mov", 3) != 0 && strncmp(stmt, "pop", 3) != 0)
		return 0;
	while (*op == ' ' || *op == '\t')
		op++;
	while (*op == '%')
		op++;
	return strncmp(op, "ss", 2) == 0 && (op[2] == '\0' || isspace((unsigned char)op[2]));
}

/* "%0", "%[name]", "%k0" (extended asm): an operand GCC fills in, perhaps memory. */
static int has_operand_placeholder(const char *stmt)
{
	const char *p;

	for (p = stmt; (p = strchr(p, '%')) != NULL; p++) {
		if (p[1] == '%') {
			p++;
			continue;
		}
		if (isdigit((unsigned char)p[1]) || p[1] == '[' ||
		    (isalpha((unsigned char)p[1]) && (isdigit((unsigned char)p[2]) || p[2] == '[')))
			return 1;
	}
	return 0;
}

static enum pv_sled_shape shape_of(int klass, const char *stmt)
{
	if (klass == PREVIRT_CLASS_POPF || (klass == PREVIRT_CLASS_SEG_WRITE && writes_ss(stmt)))
		return PV_SLED_PAD_FIRST;
	return PV_SLED_PAD_AFTER;
}

static int instrumenting(const struct rewriter *r)
{
	return r->code[r->sp] == CODE_OURS && !r->in_macro_def;
}

/* The same for an instruction written as bytes: sti, popf, pop %ss, mov to %ss. */
static enum pv_sled_shape raw_shape(int klass, const unsigned char *b, unsigned int n)
{
	unsigned int i = 0;

	while (i < n && (b[i] == 0x66 || (b[i] & 0xf0) == 0x40))
		i++;	/* operand size, REX */
	if (klass == PREVIRT_CLASS_STI || klass == PREVIRT_CLASS_POPF)
		return PV_SLED_PAD_FIRST;
	if (klass == PREVIRT_CLASS_SEG_WRITE && i < n &&
	    (b[i] == 0x17 || (b[i] == 0x8e && i + 1 < n && ((b[i + 1] >> 3) & 7) == 2)))
		return PV_SLED_PAD_FIRST;
	return PV_SLED_PAD_AFTER;
}

/*
 * Parse ".byte 0x0f, 0x01, 0xca" or ".byte 'k', 'v', 'm'": 1 if every value
 * is a plain number or a character constant (gas reads 'k and 'k' alike).
 */
static int parse_bytes(const char *ops, unsigned char *b, unsigned int *n)
{
	*n = 0;
	while (*ops) {
		char *end;
		unsigned long v;

		while (isspace((unsigned char)*ops))
			ops++;
		if (ops[0] == '\'' && ops[1] && ops[1] != '\\') {
			v = (unsigned char)ops[1];
			end = (char *)ops + 2 + (ops[2] == '\'');
		} else if (!isdigit((unsigned char)*ops)) {
			return 0;
		} else {
			v = strtoul(ops, &end, 0);
		}
		if (end == ops || v > 0xff || *n == 15)
			return 0;
		b[(*n)++] = (unsigned char)v;
		ops = end;
		while (isspace((unsigned char)*ops))
			ops++;
		if (*ops == ',')
			ops++;
		else if (*ops)
			return 0;
	}
	return *n > 0;
}

/*
 * Directives that write no byte where they stand (symbols, debug info,
 * assembly-time conditions, section and mode switches): the next site can
 * still vouch for its boundary after them.
 */
static int writes_no_bytes(const char *name)
{
	static const char *const quiet[] = {
		".section", ".pushsection", ".popsection", ".previous", ".text",
		".globl", ".global", ".type", ".size", ".local", ".weak", ".hidden",
		".protected", ".internal", ".file", ".loc", ".loc_view", ".ident",
		".set", ".equ", ".equiv", ".eqv", ".if", ".ifdef", ".ifndef", ".else",
		".elseif", ".endif", ".code16", ".code16gcc", ".code32", ".code64",
	};
	size_t i;

	if (strncmp(name, ".cfi_", 5) == 0)
		return 1;
	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++)
		if (strcmp(name, quiet[i]) == 0)
			return 1;
	return 0;
}

static void directive(struct rewriter *r, size_t at, size_t end, const char *stmt)
{
	char name[32], sec[64], flags[16];
	const char *ops;
	enum pv_x86_fep fep;
	size_t n = strcspn(stmt, " \t");
	int was_unsure = r->unsure;

	/* a directive may write bytes (.byte 0xf3) or drop a pending prefix */
	r->unsure = 1;
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, stmt, n);
	name[n] = '\0';
	ops = stmt + n;
	flush_sti(r);
	/* ...unless it writes nothing and no prefix is pending (which it would drop) */
	if (writes_no_bytes(name) && r->prefix_at < 0)
		r->unsure = was_unsure;

	if (strcmp(name, ".macro") == 0) {
		char mname[48];

		pv_asm_section_name(ops, mname, sizeof(mname));
		mname[strcspn(mname, " \t,")] = '\0';
		r->in_macro_def = 1;
		r->macro = -1;
		if (r->u->nmacros < PV_MAX_MACROS) {
			r->macro = r->u->nmacros++;
			strcpy(r->u->macros[r->macro].name, mname);
			r->u->macros[r->macro].klass = 0;
		}
		return;
	}
	if (strcmp(name, ".endm") == 0) {
		r->in_macro_def = 0;
		return;
	}
	if (r->in_macro_def)
		return;
	fep = r->fep;
	r->fep = PV_FEP_NONE;

	if (strcmp(name, ".pushsection") == 0) {
		pv_asm_section_name(ops, sec, sizeof(sec));
		pv_asm_section_flags(ops, flags, sizeof(flags));
		if (r->sp + 1 < SEC_STACK)
			r->sp++;
		r->code[r->sp] = switch_target(r, sec, flags);
	} else if (strcmp(name, ".popsection") == 0) {
		if (r->sp > 0)
			r->sp--;
		else
			diag(r, PV_DIAG_SECTION, at, "%s without .pushsection", name);
	} else if (strcmp(name, ".section") == 0 || strcmp(name, ".text") == 0 ||
		   strcmp(name, ".data") == 0 || strcmp(name, ".bss") == 0 ||
		   strcmp(name, ".subsection") == 0) {
		flags[0] = '\0';
		if (strcmp(name, ".section") == 0) {
			pv_asm_section_name(ops, sec, sizeof(sec));
			pv_asm_section_flags(ops, flags, sizeof(flags));
		} else {
			strcpy(sec, name);
		}
		r->prev_code = r->code[r->sp];
		if (strcmp(name, ".subsection") == 0)	/* same section, other place */
			r->code[r->sp] = r->kind == PV_TEMPLATE_TOPLEVEL ? CODE_OURS : CODE_FOREIGN;
		else
			r->code[r->sp] = switch_target(r, sec, flags);
	} else if (strcmp(name, ".previous") == 0) {
		int t = r->code[r->sp];

		r->code[r->sp] = r->prev_code;
		r->prev_code = t;
	} else if (strcmp(name, ".code16") == 0 || strcmp(name, ".code16gcc") == 0) {
		r->mode = 16;
	} else if (strcmp(name, ".code32") == 0) {
		r->mode = 32;
	} else if (strcmp(name, ".code64") == 0) {
		r->mode = 64;
	} else if (!instrumenting(r)) {
		return;
	} else if (strcmp(name, ".byte") == 0) {
		unsigned char b[16];
		unsigned int nb;
		int klass = -1;

		if (parse_bytes(ops, b, &nb)) {
			r->fep = pv_x86_fep_step(fep, b, nb);
			if (r->fep != PV_FEP_NONE) {
				r->rel32_next = 0;
				r->prefix_at = -1;
				return;
			}
			if (pv_x86_branch_opcode(b, nb)) {
				r->rel32_next = 1;
				r->prefix_at = -1;
				return;
			}
			klass = pv_x86_classify_bytes(b, nb, r->mode == 64 ? 64 : 32);
		}
		if (klass > 0 && r->mode == 16) {
			diag(r, PV_DIAG_REAL_MODE, at,
			     "'%s' in .code16: real-mode code is not annotated", stmt);
		} else if (klass > 0 && r->u->opt.class_enabled[klass]) {
			r->unsure = was_unsure;
			emit_shaped(r, at, end, klass, PREVIRT_F_RAW_BYTES |
				    (r->device ? PREVIRT_F_DEVICE : 0), raw_shape(klass, b, nb));
			r->unsure = 1;
		} else if (klass < 0) {
			diag(r, PV_DIAG_RAW_BYTES, at,
			     "raw bytes in code ('%s') are not a known instruction: "
			     "not annotated; write the mnemonic", stmt);
		}
	} else if (strcmp(name, ".ascii") == 0 && fep == PV_FEP_UD2) {
		/* ud2; .ascii "xen": a signature, not code */
		char sig[8];

		pv_asm_section_name(ops, sig, sizeof(sig));
		r->fep = pv_x86_fep_step(fep, (const unsigned char *)sig,
					 (unsigned int)strlen(sig));
	} else if (r->rel32_next && (strcmp(name, ".long") == 0 || strcmp(name, ".int") == 0)) {
		/* The displacement of the branch opcode just before: harmless. */
	} else if (strcmp(name, ".word") == 0 || strcmp(name, ".short") == 0 ||
		   strcmp(name, ".value") == 0 || strcmp(name, ".long") == 0 ||
		   strcmp(name, ".int") == 0 || strcmp(name, ".quad") == 0 ||
		   strcmp(name, ".insn") == 0 || strcmp(name, ".include") == 0) {
		diag(r, PV_DIAG_UNSUPPORTED, at,
		     "'%s' in code: previrt cannot tell what it assembles to; not annotated",
		     stmt);
	}
	r->rel32_next = 0;
	r->prefix_at = -1;
}

/* "ud2" or "ud2a", the first half of a forced-emulation prefix. */
static int is_ud2(const char *stmt)
{
	size_t n = strcspn(stmt, " \t;#");

	return (n == 3 && strncasecmp(stmt, "ud2", 3) == 0) ||
	       (n == 4 && strncasecmp(stmt, "ud2a", 4) == 0);
}

static void instruction(struct rewriter *r, size_t at, size_t end, const char *stmt)
{
	struct pv_x86_insn in;
	enum pv_x86_verdict v;
	enum pv_x86_fep fep;
	int i, klass, flags = 0;

	if (r->in_macro_def) {
		if (r->macro >= 0 && !r->u->macros[r->macro].klass &&
		    pv_x86_classify(stmt, &in) == PV_X86_SENSITIVE)
			r->u->macros[r->macro].klass = in.klass;
		return;
	}
	if (!instrumenting(r)) {
		if (r->code[r->sp] == CODE_FOREIGN && !r->in_macro_def &&
		    pv_x86_classify(stmt, &in) == PV_X86_SENSITIVE &&
		    r->u->opt.class_enabled[in.klass])
			diag(r, PV_DIAG_SECTION, at,
			     "'%s' runs in a section other than the function's own: "
			     "not annotated; move it out of the section switch", stmt);
		return;
	}
	r->rel32_next = 0;
	fep = r->fep;
	r->fep = PV_FEP_NONE;

	v = pv_x86_classify(stmt, &in);
	if (is_ud2(stmt))
		r->fep = PV_FEP_UD2;
	if (fep == PV_FEP_DONE) {
		if (in.prefix_only) {
			r->fep = fep;	/* the prefix belongs to the emulated instruction */
			return;
		}
		if (v == PV_X86_SENSITIVE || r->device)
			diag(r, PV_DIAG_FORCED_EMULATION, at,
			     "'%s' follows a forced-emulation prefix (ud2 and a hypervisor's "
			     "signature): the hypervisor emulates it; not annotated", stmt);
		r->prefix_at = -1;
		return;
	}
	if (in.prefix_only) {
		flush_sti(r);
		if (r->prefix_at < 0)
			r->prefix_at = (long)at;
		return;
	}
	if (v == PV_X86_OPAQUE) {
		flush_sti(r);
		diag(r, PV_DIAG_OPAQUE, at,
		     "cannot classify '%s': its mnemonic is an operand; not annotated", stmt);
		r->prefix_at = -1;
		r->unsure = 1;
		return;
	}
	for (i = 0; i < r->u->nmacros; i++) {
		size_t n = strlen(r->u->macros[i].name);

		if (r->u->macros[i].klass && strncmp(stmt, r->u->macros[i].name, n) == 0 &&
		    (stmt[n] == '\0' || isspace((unsigned char)stmt[n]))) {
			flush_sti(r);
			diag(r, PV_DIAG_MACRO, at,
			     "asm macro '%s' holds a sensitive instruction that previrt "
			     "cannot annotate inside its expansion", r->u->macros[i].name);
			r->prefix_at = -1;
			r->unsure = 1;
			return;
		}
	}

	klass = v == PV_X86_SENSITIVE ? in.klass : 0;
	if (r->device) {
		/* Every access an accessor makes goes to the device model. */
		if (!klass && pv_is_device_move(stmt)) {
			klass = PREVIRT_CLASS_MMIO;
		} else if (!klass && (in.has_mem_operand ||
				   (r->kind == PV_TEMPLATE_EXTENDED && has_operand_placeholder(stmt)))) {
			flush_sti(r);
			diag(r, PV_DIAG_UNSUPPORTED, at,
			     "'%s' in a device accessor: only a mov can be routed to a device "
			     "model; not annotated", stmt);
			r->prefix_at = -1;
			return;
		}
		/* a fence or a register operation is no device access */
		if (klass)
			flags |= PREVIRT_F_DEVICE;
	}
	if (klass && r->mode == 16) {
		flush_sti(r);
		diag(r, PV_DIAG_REAL_MODE, at,
		     "'%s' in .code16: real-mode code is not annotated", stmt);
	} else if (klass && r->u->opt.class_enabled[klass]) {
		if (r->sti_at >= 0 && r->prefix_at < 0 && flags == r->sti_flags &&
		    (klass == PREVIRT_CLASS_HLT || klass == PREVIRT_CLASS_MWAIT)) {
			int keep_unsure = r->unsure;

			r->unsure = r->sti_unsure;	/* the pair's sled starts at the sti */
			emit_shaped(r, (size_t)r->sti_at, end, klass, flags, PV_SLED_STI_PAIR);
			r->unsure = keep_unsure;
			r->sti_at = -1;
		} else {
			flush_sti(r);
			if (klass == PREVIRT_CLASS_STI && r->prefix_at < 0) {
				r->sti_at = (long)at;
				r->sti_labels_at = r->labels_at;
				r->sti_unsure = r->unsure;
				r->sti_end = end;
				r->sti_flags = flags;
			} else {
				emit_shaped(r, at, end, klass, flags, shape_of(klass, stmt));
			}
		}
	} else {
		flush_sti(r);
	}
	r->prefix_at = -1;
	r->unsure = 0;
}

/*
 * Does an extended template use {att|intel} dialect alternatives? GCC
 * starts one at every '{' not written "%{"; a '|' or '}' outside such a
 * group is printed as it is (Linux's exception-table macros OR flags).
 */
static int has_dialects(const char *t)
{
	for (; *t; t++) {
		if (*t == '%' && t[1]) {
			t++;
			continue;
		}
		if (*t == '{')
			return 1;
	}
	return 0;
}

int pv_rewrite(struct pv_unit *u, const char *tmpl, enum pv_template_kind kind,
	       int device, struct pv_result *res)
{
	struct rewriter r;
	size_t pos = 0, len = strlen(tmpl);
	int failed;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.u = u;
	r.res = res;
	r.t = tmpl;
	r.kind = kind;
	r.device = device;
	r.code[0] = CODE_OURS;	/* function's own section; top level: gas starts in .text */
	r.prev_code = CODE_OURS;
	r.mode = u->opt.bits;
	r.macro = -1;
	r.prefix_at = -1;
	r.sti_at = -1;
	r.labels_at = -1;

	if (pv_sled_writes_records(tmpl))
		return 0;	/* a hand-written sled: it is patchable as it is */
	r.label_clash = pv_sled_labels_spelled(tmpl);

	if (kind == PV_TEMPLATE_EXTENDED && has_dialects(tmpl)) {
		/* Which alternative gas sees depends on -masm: do not guess. */
		diag(&r, PV_DIAG_UNSUPPORTED, 0, "%s",
		     "dialect alternatives {att|intel} are not supported; not annotated");
		return 0;
	}

	while (pos <= len) {
		size_t a = pos, text_end = (size_t)-1, body;
		int quote = 0;
		char stmt[256];

		/* Find this statement's end: newline or ';' outside quotes/comments. */
		for (; pos < len; pos++) {
			char c = tmpl[pos];

			if (quote) {
				if (c == '\\' && pos + 1 < len)
					pos++;
				else if (c == '"')
					quote = 0;
				continue;
			}
			if (c == '"' && text_end == (size_t)-1) {
				quote = 1;
			} else if (c == '/' && pos + 1 < len && tmpl[pos + 1] == '*') {
				const char *close = strstr(tmpl + pos + 2, "*/");

				pos = close ? (size_t)(close - tmpl) + 1 : len - 1;
			} else if (c == '#' && text_end == (size_t)-1) {
				text_end = pos;
			} else if (c == '\n' || (c == ';' && text_end == (size_t)-1)) {
				break;
			}
		}
		if (text_end == (size_t)-1)
			text_end = pos;
		body = pv_asm_skip_labels(tmpl, a, text_end, NULL);
		r.labels_at = -1;
		if (body > a) {
			size_t k = a;

			while (k < body && isspace((unsigned char)tmpl[k]))
				k++;
			if (k < body) {
				/* a label between sti and hlt: something may jump to the hlt alone */
				flush_sti(&r);
				r.labels_at = (long)k;
			}
		}
		while (text_end > body && isspace((unsigned char)tmpl[text_end - 1]))
			text_end--;
		if (body < text_end) {
			copy_trim(tmpl + body, tmpl + text_end, stmt, sizeof(stmt));
			if (stmt[0] == '.')
				directive(&r, body, text_end, stmt);
			else
				instruction(&r, body, text_end, stmt);
		}
		if (r.edits.failed)
			break;
		pos++;
	}

	flush_sti(&r);
	if (!r.edits.failed && (r.sp != 0 || r.code[0] != CODE_OURS) && kind != PV_TEMPLATE_TOPLEVEL)
		diag(&r, PV_DIAG_SECTION, len, "%s",
		     "the template leaves the section switched: code after it may be misplaced");

	if (!r.edits.failed && r.edits.n)
		res->text = pv_edits_apply(&r.edits, tmpl);
	failed = r.edits.failed || (r.edits.n && !res->text);
	pv_edits_free(&r.edits);
	if (failed)
		return -1;
	return (int)res->sites;
}
