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
#define CODE_UNKNOWN	3	/* reopened without flags that we have seen: report */

struct rewriter {
	struct pv_unit *u;
	struct pv_result *res;
	const char *t;
	enum pv_template_kind kind;
	int device;

	int code[SEC_STACK];	/* per section level: CODE_* */
	int prev_code;		/* for .previous */
	char where[SEC_STACK][64];	/* per level: section name ("" where we began) */
	char prev_where[64];
	int sp;
	int mode;		/* 16, 32, 64 from .codeNN */
	int macro;		/* index of the macro being defined, or -1 */
	int in_macro_def;
	int rel32_next;		/* a branch opcode was written as .byte: its .long follows */
	int cond_depth;		/* .if nesting */
	int unreadable;		/* after .intel_syntax: not AT&T, not read */
	int rept_depth;		/* inside .rept/.irp/.irpc: the body is assembled again */

	/*
	 * A .macro body (macro_sleds) is read as code of its own: where it is
	 * expanded is not known here, so its section state starts afresh and
	 * the enclosing one comes back at .endm.
	 */
	struct {
		int code[SEC_STACK], prev_code, sp, rept_depth;
		char where[SEC_STACK][64], prev_where[64];
	} outer;

	/*
	 * A prefix written as a statement of its own ("rep;", ".byte 0xf3")
	 * belongs to the next instruction gas assembles, and must start that
	 * instruction's site. If a label, a directive or a conditional stands
	 * between them, the site is refused instead: a label would point into
	 * the sled, and across .if we cannot tell which instruction gets it.
	 */
	long prefix_at;		/* start of a pending prefix statement, or -1 */
	int prefix_depth;	/* cond_depth at the prefix */
	char prefix_cut[40];	/* what stands between it and what follows, or "" */
	int prefix_reported;	/* a site was refused for it already */
	char prefix_where[64];	/* the section it was written in */
	int prefixes_lost;	/* prefixes pending in two sections: refuse all sites */
	int prefix_unsure;	/* 'unsure' as it was before the prefix */

	long sti_at;		/* an sti waiting for its successor (flush_sti), or -1 */
	long sti_labels_at;
	long sti_prefix_at;	/* its prefix statement (the sled starts there), or -1 */
	size_t sti_end;
	long labels_at;		/* first label of the current statement, or -1 */
	int sti_flags;
	int sti_unsure;		/* 'unsure' as it was at that sti */
	int label_clash;	/* 1: the template spells the sled labels; 2: said so */
	int unsure;		/* since the last instruction statement, bytes previrt did not
				 * parse may have been written: the next site cannot vouch
				 * for its boundary (PREVIRT_F_BOUNDARY) */
	enum pv_x86_fep fep;	/* a forced-emulation prefix is being read */
	int prefix_kinds;	/* PK_*: which of them may change or fault what follows */

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
		"other-section", "real-mode", "forced-emulation", "refused", "prefix-apart",
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
	if (u->opt.diag_sink) {
		char msg[sizeof(d->msg)];

		snprintf(msg, sizeof(msg), fmt, arg);
		u->opt.diag_sink(u->opt.diag_ctx, tmpl, at, (int)kind, msg);
	}
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

/* Copy [a, b) trimmed into w (at most n-1 chars); w may overlap [a, b). */
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
	memmove(w, a, len);
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

/* Sections gas gives flags by their name when none are written. */
static int has_default_flags(const char *name)
{
	static const char *const known[] = {
		".data", ".rodata", ".bss", ".tdata", ".tbss", ".init_array", ".fini_array",
		".note", ".debug", ".comment", ".discard", ".eh_frame", ".init.data",
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		size_t n = strlen(known[i]);

		if (strncmp(name, known[i], n) == 0 && (name[n] == '\0' || name[n] == '.'))
			return 1;
	}
	return 0;
}

/*
 * Like switch_target(), remembering flags per unit: gas gives a section
 * reopened without flags ("Linux's .pushsection .fixup") the flags of its
 * first opening, which may be in another template. When we have not seen
 * them, code there is reported rather than taken for data.
 */
static int section_target(struct rewriter *r, const char *name, const char *flags)
{
	struct pv_unit *u = r->u;
	int i;

	for (i = 0; i < u->nsections; i++)
		if (strcmp(u->sections[i].name, name) == 0)
			break;
	if (flags[0]) {
		if (i == u->nsections && i < PV_MAX_SECTIONS && strlen(name) < sizeof(u->sections[0].name)) {
			strcpy(u->sections[i].name, name);
			u->sections[i].exec = strchr(flags, 'x') != NULL;
			u->nsections++;
		}
		return switch_target(r, name, flags);
	}
	if (i < u->nsections)
		return switch_target(r, name, u->sections[i].exec ? "x" : "");
	if (is_text_section(name) || is_copy_source(name) || has_default_flags(name))
		return switch_target(r, name, "");
	return CODE_UNKNOWN;
}

/* Statements of sled text apart by ';' rather than lines (pv_options.keep_lines). */
static void one_line(char *text)
{
	for (; *text; text++)
		if (*text == '\n')
			*text = ';';
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
	sp.label_form = r->in_macro_def ? PV_LABEL_EXPANSION :
			r->rept_depth ? PV_LABEL_AGAIN : PV_LABEL_ONCE;
	pv_sled_text(&sp, lead, sizeof(lead), before, sizeof(before), after, sizeof(after));
	if (r->u->opt.keep_lines) {
		one_line(lead);
		one_line(before);
		one_line(after);
	}
	if (r->in_macro_def && r->macro >= 0)
		r->u->macros[r->macro].sleds++;
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
	r->prefix_at = r->sti_prefix_at;
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
	return r->code[r->sp] == CODE_OURS && (!r->in_macro_def || r->u->opt.macro_sleds);
}

/* .macro with macro_sleds: the body's section state starts afresh (struct rewriter). */
static void macro_body_begin(struct rewriter *r)
{
	memcpy(r->outer.code, r->code, sizeof(r->code));
	memcpy(r->outer.where, r->where, sizeof(r->where));
	strcpy(r->outer.prev_where, r->prev_where);
	r->outer.prev_code = r->prev_code;
	r->outer.sp = r->sp;
	r->outer.rept_depth = r->rept_depth;
	r->sp = 0;
	r->code[0] = CODE_OURS;	/* expanded in code: an expansion elsewhere is refused */
	r->where[0][0] = '\0';
	r->prev_code = CODE_OURS;
	r->prev_where[0] = '\0';
	r->rept_depth = 0;
}

static void macro_body_end(struct rewriter *r)
{
	memcpy(r->code, r->outer.code, sizeof(r->code));
	memcpy(r->where, r->outer.where, sizeof(r->where));
	strcpy(r->prev_where, r->outer.prev_where);
	r->prev_code = r->outer.prev_code;
	r->sp = r->outer.sp;
	r->rept_depth = r->outer.rept_depth;
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
 * Prefixes that do more than qualify the instruction after them: lock
 * faults (#UD) on every sensitive one, and 0x66/0xf2/0xf3 are mandatory
 * prefixes that turn a 0f-escape opcode into another instruction (f3 before
 * clac is not clac). Segment overrides and 0x67 only qualify.
 */
#define PK_LOCK		1
#define PK_REP		2	/* f2, f3 */
#define PK_OPSIZE	4	/* 66 */

static int prefix_byte_kind(unsigned char b)
{
	return b == 0xf0 ? PK_LOCK : b == 0xf2 || b == 0xf3 ? PK_REP : b == 0x66 ? PK_OPSIZE : 0;
}

static int prefix_word_kind(const char *w)
{
	if (strncasecmp(w, "lock", 4) == 0)
		return PK_LOCK;
	if (strncasecmp(w, "rep", 3) == 0 || strncasecmp(w, "xacquire", 8) == 0 ||
	    strncasecmp(w, "xrelease", 8) == 0 || strncasecmp(w, "bnd", 3) == 0)
		return PK_REP;
	if (strncasecmp(w, "data", 4) == 0)
		return PK_OPSIZE;
	return 0;
}

/* Is b a REX prefix (in 64-bit code)? */
static int is_rex_byte(unsigned char b, int mode)
{
	return mode == 64 && (b & 0xf0) == 0x40;
}

/* Are these bytes prefixes only: legacy ones, or REX in 64-bit code? */
static int prefix_bytes(const unsigned char *b, unsigned int n, int mode)
{
	static const unsigned char legacy[] = {
		0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3,
	};
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!memchr(legacy, b[i], sizeof(legacy)) && !is_rex_byte(b[i], mode))
			return 0;
	return n > 0;
}

static void prefix_cut(struct rewriter *r, const char *what);

/*
 * A prefix statement: the site of the instruction it belongs to starts
 * here. A REX prefix counts only right before the opcode: before a legacy
 * prefix, written apart or one gas adds itself (0x66 for a 16-bit operand,
 * a mandatory prefix), the CPU ignores it and a disassembler reads it as
 * an instruction of its own. We cannot tell what gas adds, so a REX
 * written apart never joins a site.
 */
/*
 * gas emits a prefix written apart where it stands, so it joins the next
 * instruction of its own section. Is the current section the pending
 * prefix's? 2: yes; 1: maybe (the function's section, or what top-level asm
 * began in, may be .text); 0: no.
 */
static int prefix_here(const struct rewriter *r)
{
	const char *a = r->prefix_where, *b = r->where[r->sp];

	if (strcmp(a, b) == 0)
		return 2;
	return (!*a && strcmp(b, ".text") == 0) || (!*b && strcmp(a, ".text") == 0);
}

static void prefix_seen(struct rewriter *r, size_t at, int rex, int kinds)
{
	if (r->prefix_at >= 0 && prefix_here(r) != 2 && !r->prefixes_lost) {
		diag(r, PV_DIAG_PREFIX, at, "%s", "a prefix while one is pending in another "
		     "section: previrt follows one at a time; no site after it is annotated");
		r->prefixes_lost = 1;
	}
	if (r->prefix_at < 0 || prefix_here(r) != 2) {
		r->prefix_at = (long)at;
		r->prefix_unsure = r->unsure;
		r->prefix_depth = r->cond_depth;
		r->prefix_cut[0] = '\0';
		r->prefix_reported = 0;
		r->prefix_kinds = 0;
		strcpy(r->prefix_where, r->where[r->sp]);
	}
	r->prefix_kinds |= kinds;
	if (rex)
		prefix_cut(r, "a REX prefix written apart");
}


/*
 * emit_shaped(), with the pending prefix only when it is in this section.
 * A site that starts at its prefix vouches for its boundary by what came
 * before the prefix.
 */
static void emit_here(struct rewriter *r, size_t start, size_t end, int klass, int flags,
		      enum pv_sled_shape shape)
{
	long pending = r->prefix_at;
	int unsure = r->unsure;

	if (pending >= 0 && prefix_here(r) != 2)
		r->prefix_at = -1;
	if (r->prefix_at >= 0)
		r->unsure = r->prefix_unsure;
	emit_shaped(r, start, end, klass, flags, shape);
	r->prefix_at = pending;
	r->unsure = unsure;
}

/* Something that is no instruction comes between a pending prefix and the next one. */
static void prefix_cut(struct rewriter *r, const char *what)
{
	if (r->prefix_at >= 0 && !r->prefix_cut[0])
		snprintf(r->prefix_cut, sizeof(r->prefix_cut), "%s", what);
}

/*
 * The instruction at 'at' is the first after a prefix statement. An
 * instruction in an .if block opened after the prefix may not be the one
 * that gets it, so a cut prefix stays pending (and refuses sites) until an
 * instruction at the prefix's own .if level.
 */
static void prefix_done(struct rewriter *r)
{
	if (r->prefix_at >= 0 && prefix_here(r) == 2 &&
	    (!r->prefix_cut[0] || r->cond_depth <= r->prefix_depth))
		r->prefix_at = -1;
}

/*
 * May the sensitive instruction 'stmt' at 'at' get a site? Not when a
 * prefix before it was cut off from it: that is reported, and the prefix
 * is taken as used. Otherwise emit_here() starts the site at the prefix.
 */
static int prefix_refuses(struct rewriter *r, size_t at, const char *stmt, int klass,
			  int string_io)
{
	char msg[256];
	int here = r->prefix_at >= 0 ? prefix_here(r) : 0;
	int k = here == 2 ? r->prefix_kinds : 0;
	/*
	 * One-byte opcodes, where 0x66 only sets the operand size; and VMX,
	 * whose mandatory-prefix forms are VMX instructions too ("rep; vmmcall"
	 * is vmgexit, 66 before vmptrld is vmclear).
	 */
	int vmx = klass == PREVIRT_CLASS_VMX;
	int opsize_ok = vmx || klass == PREVIRT_CLASS_PUSHF || klass == PREVIRT_CLASS_POPF ||
			klass == PREVIRT_CLASS_PIO || klass == PREVIRT_CLASS_SEG_READ ||
			klass == PREVIRT_CLASS_SEG_WRITE || klass == PREVIRT_CLASS_CLI ||
			klass == PREVIRT_CLASS_STI || klass == PREVIRT_CLASS_HLT ||
			klass == PREVIRT_CLASS_FAR_XFER || klass == PREVIRT_CLASS_KRET;

	if (r->prefixes_lost)
		snprintf(msg, sizeof(msg), "'%.60s' follows prefixes pending in two sections: "
			 "not annotated", stmt);
	else if (here == 1)
		snprintf(msg, sizeof(msg), "'%.60s' may be in the section of a prefix written "
			 "before a section switch: not annotated", stmt);
	else if (here == 2 && r->prefix_cut[0])
		snprintf(msg, sizeof(msg), "'%.60s' is parted from its prefix by %s: "
			 "not annotated; write the prefix in its statement",
			 stmt, r->prefix_cut);
	else if ((k & PK_LOCK) || ((k & PK_REP) && !string_io && !vmx) || ((k & PK_OPSIZE) && !opsize_ok))
		snprintf(msg, sizeof(msg), "'%.60s' after a %s prefix written apart: it %s; "
			 "not annotated", stmt, k & PK_LOCK ? "lock" : k & PK_REP && !string_io && !vmx ?
			 "rep" : "operand-size", k & PK_LOCK ? "faults" :
			 "may make it another instruction");
	else
		return 0;
	diag(r, PV_DIAG_PREFIX, at, "%s", msg);
	r->prefix_reported = 1;
	prefix_done(r);
	return 1;
}

/* The operand after the idx-th comma of ops, trimmed, into w ("" when absent). */
static void nth_operand(const char *ops, int idx, char *w, size_t n)
{
	const char *end;

	for (; idx > 0 && ops; idx--) {
		ops = strchr(ops, ',');
		if (ops)
			ops++;
	}
	if (!ops) {
		w[0] = '\0';
		return;
	}
	end = strchr(ops, ',');
	copy_trim(ops, end ? end : ops + strlen(ops), w, n);
}

/*
 * Does an operand give a fill value that may be sensitive? Zero, nop and
 * int3 (what code is padded with) decode to nothing sensitive.
 */
static int fills_sensitive(const char *ops, int idx)
{
	static const char *const harmless[] = { "0", "0x0", "0x00", "0x90", "144", "0xcc", "204" };
	char w[32];
	size_t i;

	nth_operand(ops, idx, w, sizeof(w));
	for (i = 0; w[0] && i < sizeof(harmless) / sizeof(harmless[0]); i++)
		if (strcasecmp(w, harmless[i]) == 0)
			return 0;
	return w[0] != '\0';
}

/*
 * Directives that put bytes into code that previrt cannot read as an
 * instruction: any of them may carry a sensitive one (".ascii \"\\xfa\"" is
 * cli, ".balign 4, 0xfa" fills with cli).
 */
static int data_in_code(const char *name, const char *ops)
{
	static const char *const always[] = {
		".word", ".short", ".value", ".long", ".int", ".quad", ".octa", ".hword",
		".2byte", ".4byte", ".8byte", ".ascii", ".asciz", ".string", ".string8",
		".string16", ".string32", ".string64", ".sleb128", ".uleb128", ".float",
		".single", ".double", ".insn", ".include", ".incbin",
	};
	static const char *const fill2[] = {	/* fill value is the second operand */
		".skip", ".space", ".ds", ".org", ".align", ".balign", ".p2align", ".balignw",
		".balignl", ".p2alignw", ".p2alignl",
	};
	size_t i;

	for (i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (strcmp(name, always[i]) == 0)
			return 1;
	if (strncmp(name, ".dc", 3) == 0 && (name[3] == '\0' || name[3] == '.'))
		return 1;
	for (i = 0; i < sizeof(fill2) / sizeof(fill2[0]); i++)
		if (strcmp(name, fill2[i]) == 0)
			return fills_sensitive(ops, 1);
	if (strcmp(name, ".fill") == 0)
		return fills_sensitive(ops, 2);
	return 0;
}

/* ".ascii \"xen\"" after ud2: the signature of a forced-emulation prefix? */
static int fep_signature(struct rewriter *r, enum pv_x86_fep fep, const char *ops)
{
	char sig[8];

	pv_asm_section_name(ops, sig, sizeof(sig));
	r->fep = pv_x86_fep_step(fep, (const unsigned char *)sig, (unsigned int)strlen(sig));
	return r->fep != PV_FEP_NONE;
}

static int is_conditional(const char *name)
{
	return strncmp(name, ".if", 3) == 0 || strcmp(name, ".else") == 0 ||
	       strncmp(name, ".elseif", 7) == 0 || strcmp(name, ".endif") == 0;
}

/* .intel_syntax (either form) and .att_syntax noprefix: text we do not read. */
static void syntax_switch(struct rewriter *r, size_t at, const char *name, const char *ops)
{
	int intel = strcmp(name, ".intel_syntax") == 0 || strstr(ops, "noprefix") != NULL;

	if (intel && !r->unreadable)
		diag(r, PV_DIAG_UNSUPPORTED, at, "'%s' in asm: previrt reads AT&T syntax only; "
		     "no instruction up to '.att_syntax' is annotated", name);
	r->unreadable = intel;
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

/*
 * Data written by a .macro body (macro_sleds): where the body is expanded
 * is not known here, and Linux's record-writing macros (alternatives,
 * exports) are expanded in data sections. Noted on the macro; reported at
 * an invocation in code. 1 when the statement is in such a body.
 */
static int body_writes_data(struct rewriter *r)
{
	if (!r->in_macro_def || !r->u->opt.macro_sleds)
		return 0;
	if (r->macro >= 0)
		r->u->macros[r->macro].data = 1;
	return 1;
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
	for (n = 0; name[n]; n++)	/* gas reads directive names in either case */
		name[n] = (char)tolower((unsigned char)name[n]);
	ops = stmt + strcspn(stmt, " \t");
	flush_sti(r);
	/* ...unless it writes nothing and no prefix is pending (which it would part) */
	if (writes_no_bytes(name) && r->prefix_at < 0)
		r->unsure = was_unsure;

	if (strcmp(name, ".macro") == 0) {
		char mname[48];

		pv_asm_section_name(ops, mname, sizeof(mname));
		mname[strcspn(mname, " \t,")] = '\0';
		if (r->in_macro_def && r->u->opt.macro_sleds) {
			/* gas defines it when the outer macro expands: we follow one level */
			diag(r, PV_DIAG_UNSUPPORTED, at, "'%s': a macro defined inside a macro "
			     "body; its instructions are not annotated", stmt);
		} else if (r->u->opt.macro_sleds) {
			macro_body_begin(r);
		}
		r->in_macro_def++;
		r->macro = -1;
		if (r->in_macro_def == 1 && r->u->nmacros < PV_MAX_MACROS) {
			r->macro = r->u->nmacros++;
			strcpy(r->u->macros[r->macro].name, mname);
			r->u->macros[r->macro].klass = 0;
			r->u->macros[r->macro].opaque = 0;
			r->u->macros[r->macro].prefix = 0;
			r->u->macros[r->macro].sleds = 0;
			r->u->macros[r->macro].data = 0;
			r->u->macros[r->macro].chained[0] = '\0';
		} else if (r->in_macro_def == 1 && r->u->opt.macro_sleds) {
			diag(r, PV_DIAG_UNSUPPORTED, at, "'%s': more asm macros than previrt "
			     "follows; its invocations are not checked", stmt);
		}
		return;
	}
	if (strcmp(name, ".endm") == 0) {
		if (r->in_macro_def == 1 && r->u->opt.macro_sleds)
			macro_body_end(r);
		if (r->in_macro_def > 0)
			r->in_macro_def--;
		if (!r->in_macro_def)
			r->macro = -1;
		return;
	}
	if (r->in_macro_def > 1 && r->u->opt.macro_sleds)
		return;		/* the inner macro's body: reported at its .macro */
	if (r->in_macro_def) {
		unsigned char b[16];
		unsigned int nb;

		/* ".byte \b" builds code from an argument. */
		if (r->macro >= 0 && strcmp(name, ".byte") == 0 && strchr(ops, '\\'))
			r->u->macros[r->macro].opaque = 1;
		if (r->macro >= 0 && strcmp(name, ".byte") == 0)
			r->u->macros[r->macro].prefix = parse_bytes(ops, b, &nb) &&
							prefix_bytes(b, nb, r->mode);
		if (!r->u->opt.macro_sleds)
			return;
	}
	fep = r->fep;
	r->fep = PV_FEP_NONE;

	if (strcmp(name, ".byte") == 0 && instrumenting(r)) {
		unsigned char b[16];
		unsigned int nb;

		if (parse_bytes(ops, b, &nb) && prefix_bytes(b, nb, r->mode)) {
			unsigned int k;
			int rex = 0, kinds = 0;

			for (k = 0; k < nb; k++) {
				rex |= is_rex_byte(b[k], r->mode);
				kinds |= prefix_byte_kind(b[k]);
			}
			r->unsure = was_unsure;	/* the site starts at the prefix */
			prefix_seen(r, at, rex, kinds);
			if (fep == PV_FEP_DONE)
				r->fep = fep;	/* the prefix belongs to the emulated instruction */
			r->rel32_next = 0;
			return;
		}
	} else {
		prefix_cut(r, is_conditional(name) ? "a conditional" : "a directive");
	}
	if (strncmp(name, ".if", 3) == 0)
		r->cond_depth++;
	else if (strcmp(name, ".endif") == 0 && r->cond_depth > 0)
		r->cond_depth--;
	if (strcmp(name, ".rept") == 0 || strcmp(name, ".irp") == 0 || strcmp(name, ".irpc") == 0)
		r->rept_depth++;
	else if (strcmp(name, ".endr") == 0 && r->rept_depth > 0)
		r->rept_depth--;

	if (strcmp(name, ".pushsection") == 0) {
		pv_asm_section_name(ops, sec, sizeof(sec));
		pv_asm_section_flags(ops, flags, sizeof(flags));
		if (r->sp + 1 < SEC_STACK)
			r->sp++;
		r->code[r->sp] = section_target(r, sec, flags);
		strcpy(r->where[r->sp], sec);
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
		strcpy(r->prev_where, r->where[r->sp]);
		if (strcmp(name, ".subsection") == 0)	/* its own place for prefixes */
			snprintf(sec, sizeof(sec), "%.40s#%.20s", r->prev_where, ops);
		strcpy(r->where[r->sp], sec);
		if (strcmp(name, ".subsection") == 0)	/* same section, other place */
			r->code[r->sp] = r->kind == PV_TEMPLATE_TOPLEVEL ? CODE_OURS : CODE_FOREIGN;
		else if (strcmp(name, ".section") == 0)
			r->code[r->sp] = section_target(r, sec, flags);
		else
			r->code[r->sp] = switch_target(r, sec, flags);
	} else if (strcmp(name, ".previous") == 0) {
		int t = r->code[r->sp];
		char w[sizeof(r->prev_where)];

		r->code[r->sp] = r->prev_code;
		r->prev_code = t;
		strcpy(w, r->where[r->sp]);
		strcpy(r->where[r->sp], r->prev_where);
		strcpy(r->prev_where, w);
	} else if (strcmp(name, ".code16") == 0 || strcmp(name, ".code16gcc") == 0) {
		r->mode = 16;
	} else if (strcmp(name, ".code32") == 0) {
		r->mode = 32;
	} else if (strcmp(name, ".code64") == 0) {
		r->mode = 64;
	} else if (strcmp(name, ".intel_syntax") == 0 || strcmp(name, ".att_syntax") == 0) {
		syntax_switch(r, at, name, ops);
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
				prefix_done(r);
				return;
			}
			if (pv_x86_branch_opcode(b, nb)) {
				r->rel32_next = 1;
				prefix_done(r);
				return;
			}
			klass = pv_x86_classify_bytes(b, nb, r->mode == 64 ? 64 : 32);
		}
		if (klass > 0 && r->mode == 16) {
			diag(r, PV_DIAG_REAL_MODE, at,
			     "'%s' in .code16: real-mode code is not annotated", stmt);
		} else if (klass > 0 && r->u->opt.class_enabled[klass]) {
			if (!prefix_refuses(r, at, stmt, klass, b[0] >= 0x6c && b[0] <= 0x6f)) {
				r->unsure = was_unsure;
				emit_here(r, at, end, klass, PREVIRT_F_RAW_BYTES |
					  (r->device ? PREVIRT_F_DEVICE : 0), raw_shape(klass, b, nb));
				r->unsure = 1;
			}
		} else if (klass < 0 && body_writes_data(r)) {
			/* judged where the macro is expanded (macro_call) */
		} else if (klass < 0) {
			diag(r, PV_DIAG_RAW_BYTES, at,
			     "raw bytes in code ('%s') are not a known instruction: "
			     "not annotated; write the mnemonic", stmt);
		}
		r->rel32_next = 0;
		prefix_done(r);
		return;
	} else if (strcmp(name, ".ascii") == 0 && fep == PV_FEP_UD2 && fep_signature(r, fep, ops)) {
		/* ud2; .ascii "xen": a signature, not code */
	} else if (r->rel32_next && (strcmp(name, ".long") == 0 || strcmp(name, ".int") == 0)) {
		/* The displacement of the branch opcode just before: harmless. */
	} else if (data_in_code(name, ops) && !body_writes_data(r)) {
		diag(r, PV_DIAG_UNSUPPORTED, at,
		     "'%s' in code: previrt cannot tell what it assembles to; not annotated",
		     stmt);
	}
	r->rel32_next = 0;
}

/* Does the statement's mnemonic come from a macro or .irp argument ("\\insn")? */
static int mnemonic_from_argument(const char *stmt)
{
	size_t n = strcspn(stmt, " \t");

	return memchr(stmt, '\\', n) != NULL;
}

/*
 * Split a macro invocation's arguments as gas does, roughly: a quoted
 * argument is one value (which may hold several statements, "cli; sti"),
 * unquoted ones end at a comma or a blank. Calls fn on each value and
 * stops when it returns non-zero.
 */
static int each_argument(const char *args, int (*fn)(void *ctx, const char *value), void *ctx)
{
	char value[256];

	while (*args) {
		size_t k = 0;

		args += strspn(args, " \t,");
		if (*args == '"') {
			for (args++; *args && *args != '"'; args++)
				if (k + 1 < sizeof(value))
					value[k++] = *args;
			if (*args == '"')
				args++;
		} else {
			for (; *args && !strchr(" \t,", *args); args++)
				if (k + 1 < sizeof(value))
					value[k++] = *args;
		}
		value[k] = '\0';
		if (k && fn(ctx, value))
			return 1;
	}
	return 0;
}

struct arg_check {
	struct rewriter *r;
	const char *chained;	/* ",a,b,": the values the body's chains cover */
	char what[64];
};

/* A value with a sensitive statement (of an enabled class) not chained? */
static int arg_sensitive(void *vctx, const char *value)
{
	struct arg_check *c = vctx;
	char buf[256], *p, *save = NULL, key[260];

	snprintf(key, sizeof(key), ",%s,", value);
	if (c->chained && strstr(c->chained, key))
		return 0;
	snprintf(buf, sizeof(buf), "%s", value);
	for (p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
		struct pv_x86_insn in;
		char stmt[128];

		copy_trim(p, p + strlen(p), stmt, sizeof(stmt));
		if (stmt[0] && pv_x86_classify(stmt, &in) == PV_X86_SENSITIVE &&
		    c->r->u->opt.class_enabled[in.klass]) {
			snprintf(c->what, sizeof(c->what), "%.60s", stmt);
			return 1;
		}
	}
	return 0;
}

/*
 * The arguments of an invocation of a macro that builds instructions from
 * them: is one of them a sensitive instruction that no chain of the body
 * covers (argument_sleds)? Its text goes to 'what'.
 */
static int sensitive_argument(struct rewriter *r, int macro, const char *args, char *what, size_t n)
{
	struct arg_check c = { r, r->u->macros[macro].chained, "" };

	if (!each_argument(args, arg_sensitive, &c))
		return 0;
	snprintf(what, n, "%s", c.what);
	return 1;
}

/* The candidates of argument_sleds(): one-word values, sensitive once substituted. */
#define MAX_CHAIN 8
struct chain {
	struct rewriter *r;
	const char *rest;	/* the statement after "\param" */
	int n;
	char value[MAX_CHAIN][32];
	int klass[MAX_CHAIN];
	int partial;		/* a sensitive value that no chain can take */
	int unsafe;		/* a value that .ifc cannot compare unquoted */
};

static int chain_candidate(void *vctx, const char *value)
{
	struct chain *c = vctx;
	struct pv_x86_insn in;
	char stmt[160];
	int i;

	if (strlen(value) >= sizeof(c->value[0]) || strpbrk(value, " \t;\\\"'#")) {
		/* several words: ".ifc \\op,..." would break; the invocation says so */
		c->unsafe = 1;
		return 1;
	}
	snprintf(stmt, sizeof(stmt), "%s%s", value, c->rest);
	if (pv_x86_classify(stmt, &in) != PV_X86_SENSITIVE || !c->r->u->opt.class_enabled[in.klass])
		return 0;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->value[i], value) == 0)
			return 0;
	/* a shadowing instruction's padding would have to come first: no chain for it */
	if (c->n == MAX_CHAIN || shape_of(in.klass, stmt) != PV_SLED_PAD_AFTER ||
	    in.klass == PREVIRT_CLASS_STI) {
		c->partial = 1;
		return 0;
	}
	snprintf(c->value[c->n], sizeof(c->value[0]), "%s", value);
	c->klass[c->n++] = in.klass;
	return 0;
}

/*
 * A statement of a .macro body whose mnemonic is an argument ("\op", as
 * Linux's msr-reg.S writes it): gas alone knows what it assembles to, but
 * the file's own invocations of the macro say which values it will take.
 * For each that is sensitive the statement becomes, in the body,
 *
 *	.ifc \op,rdmsr; <sled of \op, class msr>; .else; ... ; \op; .endif
 *
 * so that each expansion gets the sled of the value it is given, and any
 * other value assembles as it was written. Returns 1 when some chain was
 * written.
 */
static int argument_sleds(struct rewriter *r, size_t at, size_t end, const char *stmt)
{
	struct chain c;
	char param[48], pre[512], lead[256], before[1600], after[3072], close[512];
	const char *m = r->u->macros[r->macro].name;
	size_t plen = strcspn(stmt + 1, " \t"), pos, used_pre = 0, used_close = 0;
	int i;

	if (plen == 0 || plen >= sizeof(param) || strcspn(stmt + 1, " \t\\(") != plen ||
	    r->label_clash || r->prefix_at >= 0 || r->sti_at >= 0)
		return 0;
	memcpy(param, stmt + 1, plen);
	param[plen] = '\0';
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.rest = stmt + 1 + plen;
	/* the invocations after the definition: "NAME args" at a statement's start */
	for (pos = end; r->t[pos]; ) {
		size_t eol = pos + strcspn(r->t + pos, "\n");
		size_t b = pv_asm_skip_labels(r->t, pos, eol, NULL);
		size_t n = strlen(m);
		char line[512];

		while (b < eol && isspace((unsigned char)r->t[b]))
			b++;
		if (eol - b > n && strncasecmp(r->t + b, m, n) == 0 &&
		    isspace((unsigned char)r->t[b + n])) {
			size_t k = eol - (b + n);

			if (k >= sizeof(line))
				k = sizeof(line) - 1;
			memcpy(line, r->t + b + n, k);
			line[k] = '\0';
			for (k = 0; line[k]; k++) {	/* the statement ends at ';' or '#' outside quotes */
				if (line[k] == '"')
					k = pv_asm_string_end(line, k, strlen(line));
				else if (line[k] == ';' || line[k] == '#')
					break;
				if (!line[k])
					break;
			}
			line[k] = '\0';
			if (each_argument(line, chain_candidate, &c))
				break;
		}
		pos = r->t[eol] ? eol + 1 : eol;
	}
	if (!c.n || c.unsafe)
		return 0;
	for (i = 0; i < c.n; i++) {
		struct pv_sled_spec sp;
		char key[40];
		int flags = r->unsure ? 0 : PREVIRT_F_BOUNDARY;

		memset(&sp, 0, sizeof(sp));
		sp.shape = PV_SLED_PAD_AFTER;
		sp.nopl = r->u->opt.no_nopl ? 0 : 1;
		sp.arch = r->mode == 32 ? PREVIRT_ARCH_X86_32 :
			  r->u->opt.bits == 64 && r->mode == 64 ? PREVIRT_ARCH_X86_64 :
			  PREVIRT_ARCH_X86_32;
		sp.klass = c.klass[i];
		sp.flags = flags;
		sp.label = r->u->sites;
		sp.label_form = PV_LABEL_EXPANSION;
		pv_sled_text(&sp, lead, sizeof(lead), before, sizeof(before), after, sizeof(after));
		used_pre = (size_t)snprintf(pre, sizeof(pre), "\n.ifc \\%s,%s\n", param, c.value[i]);
		if (used_pre >= sizeof(pre))
			return i > 0;
		if (r->u->opt.keep_lines) {
			one_line(pre);
			one_line(before);
			one_line(after);
		}
		add_edit(r, at, pre);
		add_edit(r, at, before);
		{
			/* the statement itself, then the rest of the sled and ".else" */
			size_t len = end - at;
			char *copy = malloc(len + strlen(after) + 16);

			if (!copy) {
				r->edits.failed = 1;
				return 1;
			}
			memcpy(copy, r->t + at, len);
			snprintf(copy + len, strlen(after) + 16, "%s%s", after,
				 r->u->opt.keep_lines ? ";.else;" : "\n.else\n");
			add_edit(r, at, copy);
			free(copy);
		}
		used_close += (size_t)snprintf(close + used_close, sizeof(close) - used_close, "%s",
					       r->u->opt.keep_lines ? ";.endif" : "\n.endif");
		snprintf(key, sizeof(key), ",%s,", c.value[i]);
		if (strlen(r->u->macros[r->macro].chained) + strlen(key) <
		    sizeof(r->u->macros[r->macro].chained)) {
			size_t cl = strlen(r->u->macros[r->macro].chained);

			/* ",a," + ",b," -> ",a,b," */
			strcat(r->u->macros[r->macro].chained, cl ? key + 1 : key);
		}
		r->res->sites++;
		r->res->per_class[c.klass[i]]++;
		r->u->sites++;
		r->u->per_class[c.klass[i]]++;
		r->u->macros[r->macro].sleds++;
	}
	add_edit(r, end, close);
	return 1;
}

/*
 * An invocation, in a section previrt leaves alone (an alternative's
 * replacement, data), of a macro whose body got sleds: its records would
 * describe code that does not run where it is assembled. That build would
 * be wrong, so it is refused.
 */
static void expansion_elsewhere(struct rewriter *r, size_t at, const char *stmt)
{
	int i;

	if (r->in_macro_def || !r->u->opt.macro_sleds)
		return;
	for (i = 0; i < r->u->nmacros; i++) {
		const char *m = r->u->macros[i].name;
		size_t n = strlen(m);

		if (r->u->macros[i].sleds && n && strncasecmp(stmt, m, n) == 0 &&
		    (stmt[n] == '\0' || isspace((unsigned char)stmt[n])))
			diag(r, PV_DIAG_REFUSED, at, "asm macro '%s' has sleds and is expanded "
			     "in a section previrt does not annotate: its records would describe "
			     "code that does not run there; expand it in code", m);
	}
}

/* Is stmt an invocation of an asm macro previrt cannot see through? */
static int macro_call(struct rewriter *r, size_t at, const char *stmt)
{
	int i;

	for (i = 0; i < r->u->nmacros; i++) {
		const char *m = r->u->macros[i].name;
		size_t n = strlen(m);

		/* gas macro names are case-insensitive. */
		if (!n || strncasecmp(stmt, m, n) != 0 ||
		    (stmt[n] != '\0' && !isspace((unsigned char)stmt[n])))
			continue;
		if (r->u->macros[i].klass || r->u->macros[i].opaque || r->u->macros[i].prefix ||
		    r->u->macros[i].data)
			flush_sti(r);
		if (r->u->macros[i].data)
			diag(r, PV_DIAG_UNSUPPORTED, at, "asm macro '%s' writes data into code here "
			     "(.byte, .long ...): previrt cannot tell what it assembles to; "
			     "not annotated", m);
		if (r->u->opt.macro_sleds && r->u->macros[i].opaque) {
			char what[64];

			if (sensitive_argument(r, i, stmt + n, what, sizeof(what)))
				diag(r, PV_DIAG_MACRO, at, "asm macro argument '%s' becomes an "
				     "instruction inside the macro's expansion, which previrt "
				     "cannot annotate", what);
		} else if (r->u->macros[i].klass)
			diag(r, PV_DIAG_MACRO, at,
			     "asm macro '%s' holds a sensitive instruction that previrt "
			     "cannot annotate inside its expansion", m);
		else if (r->u->macros[i].opaque)
			diag(r, PV_DIAG_MACRO, at,
			     "asm macro '%s' builds instructions from its arguments, which "
			     "previrt cannot see: not annotated", m);
		else if (!r->u->macros[i].prefix && !r->u->macros[i].data)
			continue;
		prefix_done(r);
		if (r->u->macros[i].prefix) {
			/* Its last prefix joins what follows the invocation. */
			prefix_seen(r, at, 0, PK_LOCK);	/* we do not know which */
			prefix_cut(r, "an asm macro");
		}
		return 1;
	}
	return 0;
}

/*
 * gas also takes '/' between a prefix and its instruction ("rep/insb"):
 * read it as a space, so that the classifier sees both words.
 */
static void prefix_separators(char *stmt)
{
	for (;;) {
		size_t n = strcspn(stmt, " \t/");
		struct pv_x86_insn in;
		char save;

		if (stmt[n] != '/' || n == 0)
			return;
		save = stmt[n];
		stmt[n] = '\0';
		pv_x86_classify(stmt, &in);
		stmt[n] = save;
		if (!in.prefix_only)
			return;
		stmt[n] = ' ';
		stmt += n + 1;
	}
}

/* Is the mnemonic (after any prefix words) a string I/O one, ins* or outs*? */
static int string_io(const char *stmt)
{
	const char *w = stmt;
	struct pv_x86_insn in;
	char word[16];

	for (;;) {
		size_t n = strcspn(w, " \t");

		if (n == 0 || n >= sizeof(word))
			return 0;
		memcpy(word, w, n);
		word[n] = '\0';
		pv_x86_classify(word, &in);
		if (!in.prefix_only)
			return strncasecmp(word, "ins", 3) == 0 || strncasecmp(word, "outs", 4) == 0;
		w += n;
		w += strspn(w, " \t");
	}
}

/* "sym = expr" (also "sym == expr"): a symbol, no instruction. */
static int is_assignment(const char *stmt)
{
	size_t n = strcspn(stmt, " \t=");

	return n > 0 && stmt[n + strspn(stmt + n, " \t")] == '=';
}

/* "ud2" or "ud2a", the first half of a forced-emulation prefix. */
static int is_ud2(const char *stmt)
{
	size_t n = strcspn(stmt, " \t;#");

	return (n == 3 && strncasecmp(stmt, "ud2", 3) == 0) ||
	       (n == 4 && strncasecmp(stmt, "ud2a", 4) == 0);
}

static void instruction(struct rewriter *r, size_t at, size_t end, char *stmt)
{
	struct pv_x86_insn in;
	enum pv_x86_verdict v;
	enum pv_x86_fep fep;
	int klass, flags = 0;

	prefix_separators(stmt);
	if (r->in_macro_def > 1 && r->u->opt.macro_sleds)
		return;		/* an inner macro's body: reported at its .macro */
	if (r->in_macro_def && r->u->opt.macro_sleds) {
		if (r->macro >= 0) {
			v = pv_x86_classify(stmt, &in);
			r->u->macros[r->macro].prefix = in.prefix_only;
			if (v != PV_X86_SENSITIVE && mnemonic_from_argument(stmt))
				r->u->macros[r->macro].opaque = 1;
		}
		/* and on: the body gets its sleds */
	} else if (r->in_macro_def) {
		if (r->macro < 0)
			return;
		v = pv_x86_classify(stmt, &in);
		r->u->macros[r->macro].prefix = in.prefix_only;	/* the body ends with one */
		if (!r->u->macros[r->macro].klass && v == PV_X86_SENSITIVE)
			r->u->macros[r->macro].klass = in.klass;
		else if (v != PV_X86_SENSITIVE && strchr(stmt, '\\'))
			r->u->macros[r->macro].opaque = 1;	/* "\insn": its argument */
		return;
	}
	if (!instrumenting(r)) {
		expansion_elsewhere(r, at, stmt);
		if ((r->code[r->sp] == CODE_FOREIGN || r->code[r->sp] == CODE_UNKNOWN) &&
		    !r->unreadable && pv_x86_classify(stmt, &in) == PV_X86_SENSITIVE &&
		    r->u->opt.class_enabled[in.klass])
			diag(r, PV_DIAG_SECTION, at, r->code[r->sp] == CODE_FOREIGN ?
			     "'%s' runs in a section other than the function's own: "
			     "not annotated; move it out of the section switch" :
			     "'%s' is in a section opened without flags that previrt has not "
			     "seen: not annotated; give the section its flags", stmt);
		return;
	}
	if (is_assignment(stmt)) {
		/* "sym = ." defines a symbol where it stands, as a label does. */
		flush_sti(r);
		prefix_cut(r, "a symbol assignment");
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
		prefix_done(r);
		return;
	}
	if (r->unreadable && !in.prefix_only) {
		flush_sti(r);
		prefix_done(r);	/* reported at .intel_syntax */
		r->unsure = 0;
		return;
	}
	if (in.prefix_only) {	/* prefix words are the same in Intel syntax */
		int rex = 0, kinds = 0;
		const char *w = stmt;

		flush_sti(r);
		while (*w) {	/* each word: is it rex, rex64, rex.W, {rex}? */
			rex |= strncasecmp(w, "rex", 3) == 0 || strncasecmp(w, "{rex", 4) == 0;
			kinds |= prefix_word_kind(w);
			w += strcspn(w, " \t");
			w += strspn(w, " \t");
		}
		prefix_seen(r, at, rex, kinds);
		return;
	}
	if (v == PV_X86_OPAQUE) {
		flush_sti(r);
		diag(r, PV_DIAG_OPAQUE, at,
		     "cannot classify '%s': its mnemonic is an operand; not annotated", stmt);
		prefix_done(r);
		r->unsure = 1;
		return;
	}
	if (macro_call(r, at, stmt)) {
		r->unsure = 1;
		return;
	}
	if (v != PV_X86_SENSITIVE && r->u->opt.macro_sleds && r->in_macro_def &&
	    mnemonic_from_argument(stmt)) {
		/* sleds for the values the file passes; the rest judged where invoked */
		flush_sti(r);
		if (r->macro >= 0)
			argument_sleds(r, at, end, stmt);
		prefix_done(r);
		r->unsure = 1;
		return;
	}
	if (v != PV_X86_SENSITIVE && (r->u->opt.macro_sleds ? mnemonic_from_argument(stmt)
							    : strchr(stmt, '\\') != NULL)) {
		/* ".irp insn, cli, sti; \insn; .endr": only gas sees what it is. */
		flush_sti(r);
		diag(r, PV_DIAG_OPAQUE, at, "cannot classify '%s': it is built from "
		     ".irp or macro arguments; not annotated", stmt);
		prefix_done(r);
		r->unsure = 1;
		return;
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
		int prefixed = r->prefix_at >= 0 && prefix_here(r) == 2;

		if (prefix_refuses(r, at, stmt, klass, string_io(stmt))) {
			flush_sti(r);
		} else if (r->sti_at >= 0 && !prefixed && flags == r->sti_flags &&
			   (klass == PREVIRT_CLASS_HLT || klass == PREVIRT_CLASS_MWAIT)) {
			int keep_unsure = r->unsure;
			long keep_prefix = r->prefix_at;

			r->unsure = r->sti_unsure;	/* the pair's sled starts at the sti */
			r->prefix_at = r->sti_prefix_at;	/* or at its prefix */
			emit_shaped(r, (size_t)r->sti_at, end, klass, flags, PV_SLED_STI_PAIR);
			r->unsure = keep_unsure;
			r->prefix_at = keep_prefix;
			r->sti_at = -1;
		} else {
			flush_sti(r);
			if (klass == PREVIRT_CLASS_STI) {
				r->sti_at = (long)at;
				r->sti_prefix_at = prefixed ? r->prefix_at : -1;
				r->sti_labels_at = r->labels_at;
				r->sti_unsure = prefixed ? r->prefix_unsure : r->unsure;
				r->sti_end = end;
				r->sti_flags = flags;
			} else {
				emit_here(r, at, end, klass, flags, shape_of(klass, stmt));
			}
		}
	} else {
		flush_sti(r);
	}
	prefix_done(r);
	r->unsure = 0;
}

/*
 * gas reads a block comment as a space: take them out of the statement's
 * copy (trimmed again), so that "/\* x *\/ cli" reads as "cli" and a
 * statement of comments alone as nothing.
 */
static void blank_comments(char *stmt)
{
	char *o = stmt, *p = stmt, *close;
	size_t n;

	while (*p) {
		if (*p == '"') {
			n = pv_asm_string_end(p, 0, strlen(p)) + 1;
			memmove(o, p, n);
			o += n;
			p += n;
		} else if (p[0] == '/' && p[1] == '*') {
			close = strstr(p + 2, "*/");
			p = close ? close + 2 : p + strlen(p);
			*o++ = ' ';
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	n = strlen(stmt);
	copy_trim(stmt, stmt + n, stmt, n + 1);
}

/*
 * Where does the statement starting at 'a' end, as gas splits it? At a
 * newline, or at a ';' outside strings, character constants ('; or '#) and
 * comments. '#' comments out the rest of the line (a block comment's
 * opener included), and so does a '/' that begins a statement. Returns the
 * terminator's offset, and in *text_end where the statement's text ends.
 */
static size_t statement_end(const char *t, size_t a, size_t len, size_t *text_end)
{
	size_t pos, eol = a + strcspn(t + a, "\n");
	size_t body = pv_asm_skip_labels(t, a, eol, NULL);

	if (t[body] == '/' && t[body + 1] != '*') {
		*text_end = body;
		return eol;
	}
	*text_end = (size_t)-1;
	for (pos = a; pos < len; pos++) {
		char c = t[pos];

		if (*text_end != (size_t)-1) {
			if (c == '\n')
				break;
		} else if (c == '"') {
			pos = pv_asm_string_end(t, pos, len);
		} else if (c == '\'' && pos + 1 < len && t[pos + 1] != '\n') {
			/* 'c or 'c' (gas reads both), '\c likewise */
			pos += t[pos + 1] == '\\' && pos + 2 < len ? 2 : 1;
			if (pos + 1 < len && t[pos + 1] == '\'')
				pos++;
		} else if (c == '/' && pos + 1 < len && t[pos + 1] == '*') {
			const char *close = strstr(t + pos + 2, "*/");

			pos = close ? (size_t)(close - t) + 1 : len - 1;
		} else if (c == '#') {
			*text_end = pos;
		} else if (c == '\n' || c == ';') {
			break;
		}
	}
	if (*text_end == (size_t)-1)
		*text_end = pos;
	return pos;
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
	r.sti_prefix_at = -1;
	r.labels_at = -1;
	r.unsure = u->prefix_left_pending;

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
		size_t a = pos, text_end, body;
		char *stmt;

		pos = statement_end(tmpl, a, len, &text_end);
		body = pv_asm_skip_labels(tmpl, a, text_end, NULL);
		r.labels_at = -1;
		if (body > a) {
			size_t k = a;

			while (k < body && isspace((unsigned char)tmpl[k]))
				k++;
			if (k < body) {
				/* a label between sti and hlt: something may jump to the hlt alone */
				flush_sti(&r);
				prefix_cut(&r, "a label");
				r.labels_at = (long)k;
			}
		}
		while (text_end > body && isspace((unsigned char)tmpl[text_end - 1]))
			text_end--;
		if (body < text_end) {
			stmt = malloc(text_end - body + 1);
			if (!stmt) {
				r.edits.failed = 1;
				break;
			}
			copy_trim(tmpl + body, tmpl + text_end, stmt, text_end - body + 1);
			blank_comments(stmt);
			if (stmt[0] == '.')
				directive(&r, body, text_end, stmt);
			else if (stmt[0])	/* not comments alone */
				instruction(&r, body, text_end, stmt);
			free(stmt);
		}
		if (r.edits.failed)
			break;
		pos++;
	}

	flush_sti(&r);
	if (!r.edits.failed && r.prefix_at >= 0 && !r.prefix_reported)
		diag(&r, PV_DIAG_PREFIX, (size_t)r.prefix_at, "%s",
		     "a prefix ends the template: gas joins it to what follows the asm, "
		     "which previrt does not see; write it in its instruction's statement");
	if (r.prefix_at >= 0)
		u->prefix_left_pending = 1;
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
