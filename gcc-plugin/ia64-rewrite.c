// SPDX-License-Identifier: MIT
/*
 * The IA-64 asm template rewriter.
 *
 * gas for IA-64 splits statements at newlines and ';', reads ";;" as a
 * stop and '{' '}' as the bounds of an explicit bundle; "//" starts a
 * comment. GCC runs gas in explicit mode (-x), so stops in the template
 * are kept and instructions outside braces are bundled by gas.
 *
 * A sensitive instruction outside braces becomes, in place:
 *
 *	8841:	{ .mmi	<insn> ;; nop.m 0 ; nop.i 0 ;; }	(unit M; I, B, F, X alike)
 *	8842:	{ .mib	nop.m 0 ; nop.i 0 ; nop.b 0 }
 *	8843:	a previrt_sites record, by .pushsection
 *
 * A stop follows the instruction where the template allows one there (M
 * and I slots; B is last anyway) and ends its bundle. Stops only split
 * instruction groups, which never changes what the code means, and some
 * instructions need them: itc and ptc.g must end a group, rfi, bsw and
 * cover too. The
 * qualifying predicate stays on the instruction, so the runtime can put it
 * on the branch that replaces it. Inside braces the bundle is the source's:
 * only labels and the record are added around it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm-edits.h"
#include "asm-sled.h"
#include "asm-text.h"
#include "ia64-classify.h"
#include "ia64-rewrite.h"

#define SEC_STACK 16
#define MAX_PENDING 3	/* sites in one explicit bundle: at most one per slot */

struct ia64_rewriter {
	struct pv_unit *u;
	struct pv_result *res;
	const char *t;
	enum pv_template_kind kind;
	int device;
	const struct pv_ia64_operands *ops;

	int ours[SEC_STACK];	/* per section level: annotate here? */
	int prev_ours;		/* for .previous */
	int sp;
	int in_macro_def;

	int in_bundle;		/* between '{' and '}' */
	size_t bundle_at;	/* offset of that '{' */
	int slot;		/* next free slot in it */
	int npending;
	struct { int klass, flags, slot; } pending[MAX_PENDING];
	int label_clash;	/* 1: the template spells the sled labels; 2: said so */

	struct pv_edits edits;
};

static void diag(struct ia64_rewriter *r, enum pv_diag_kind kind, size_t at, const char *fmt,
		 const char *arg)
{
	pv_result_diag(r->u, r->res, r->t, at, kind, fmt, arg);
}

static void add_edit(struct ia64_rewriter *r, size_t at, const char *text)
{
	pv_edits_add(&r->edits, at, text);
}

static void count_site(struct ia64_rewriter *r, int klass)
{
	r->res->sites++;
	r->res->per_class[klass]++;
	r->u->sites++;
	r->u->per_class[klass]++;
}

/* The record, after labels 8841 (sled), 8842 (end of the insn's bundle), 8843 (end). */
static void record_text(char *buf, size_t n, int klass, int flags, int slot)
{
	snprintf(buf, n,
		 "\t.pushsection " PREVIRT_SECTION ", \"a\"\n"
		 "\t.balign %d\n"
		 "\tdata4 8841b - .\n"
		 "\tdata1 %d, %d, %d, %d, 8843b - 8841b, 8842b - 8841b, %d, 0\n"
		 "\t.popsection\n",
		 PREVIRT_SITE_ALIGN, PREVIRT_ABI_VERSION, PREVIRT_ARCH_IA64, klass, flags, slot);
}

/*
 * Put the instruction [at, end) into a bundle of its own: the template and
 * the nops around it are chosen by its unit so that it lands in a slot
 * that unit may fill.
 */
static void emit_sled(struct ia64_rewriter *r, size_t at, size_t end,
		      const struct pv_ia64_insn *in, int flags)
{
	static const struct { const char *before, *after; int slot; } shape[] = {
		[PV_IA64_UNIT_M] = { "{ .mmi\n\t", " ;;\n\tnop.m 0\n\tnop.i 0 ;;\n}\n", 0 },
		[PV_IA64_UNIT_I] = { "{ .mii\n\tnop.m 0\n\t", " ;;\n\tnop.i 0 ;;\n}\n", 1 },
		[PV_IA64_UNIT_B] = { "{ .mib\n\tnop.m 0\n\tnop.i 0\n\t", " ;;\n}\n", 2 },
		[PV_IA64_UNIT_F] = { "{ .mfi\n\tnop.m 0\n\t", "\n\tnop.i 0 ;;\n}\n", 1 },
		[PV_IA64_UNIT_X] = { "{ .mlx\n\tnop.m 0\n\t", " ;;\n}\n", 1 },
	};
	char before[64], after[512], rec[256];

	snprintf(before, sizeof(before), "\n8841:\n%s", shape[in->unit].before);
	record_text(rec, sizeof(rec), in->klass, flags, shape[in->unit].slot);
	snprintf(after, sizeof(after),
		 "%s8842:\n{ .mib\n\tnop.m 0\n\tnop.i 0\n\tnop.b 0\n}\n8843:\n%s",
		 shape[in->unit].after, rec);
	add_edit(r, at, before);
	add_edit(r, end, after);
	count_site(r, in->klass);
}

/* At '}': the records of the sites found in the bundle that just closed. */
static void close_bundle(struct ia64_rewriter *r, size_t after_brace)
{
	char buf[320], rec[256];
	int i;

	for (i = 0; i < r->npending; i++) {
		record_text(rec, sizeof(rec), r->pending[i].klass, r->pending[i].flags,
			    r->pending[i].slot);
		snprintf(buf, sizeof(buf), "\n8842:\n8843:\n%s", rec);
		add_edit(r, after_brace, buf);
	}
	r->npending = 0;
	r->in_bundle = 0;
}

/* Does a section switch to NAME ("flags") lead to code we annotate? */
static int section_is_ours(const struct ia64_rewriter *r, const char *ops)
{
	char name[64], flags[16];
	int exec;

	pv_asm_section_name(ops, name, sizeof(name));
	pv_asm_section_flags(ops, flags, sizeof(flags));
	exec = strcmp(name, ".text") == 0 || strncmp(name, ".text.", 6) == 0 ||
	       strchr(flags, 'x') != NULL;
	/* In a function only its own section is known to be executed there. */
	return exec && r->kind == PV_TEMPLATE_TOPLEVEL;
}

static void directive(struct ia64_rewriter *r, size_t at, const char *stmt)
{
	size_t n = strcspn(stmt, " \t");
	const char *ops = stmt + n;

	if (n == 6 && strncmp(stmt, ".macro", 6) == 0) {
		r->in_macro_def = 1;
	} else if (n == 5 && strncmp(stmt, ".endm", 5) == 0) {
		r->in_macro_def = 0;
	} else if (r->in_macro_def) {
		return;
	} else if (n == 12 && strncmp(stmt, ".pushsection", 12) == 0) {
		if (r->sp + 1 < SEC_STACK)
			r->sp++;
		r->ours[r->sp] = section_is_ours(r, ops);
	} else if (n == 11 && strncmp(stmt, ".popsection", 11) == 0) {
		if (r->sp > 0)
			r->sp--;
		else
			diag(r, PV_DIAG_SECTION, at, "%s without .pushsection", ".popsection");
	} else if (n == 8 && strncmp(stmt, ".section", 8) == 0) {
		r->prev_ours = r->ours[r->sp];
		r->ours[r->sp] = section_is_ours(r, ops);
	} else if ((n == 5 && strncmp(stmt, ".text", 5) == 0) ||
		   (n == 5 && strncmp(stmt, ".data", 5) == 0) ||
		   (n == 4 && strncmp(stmt, ".bss", 4) == 0)) {
		r->prev_ours = r->ours[r->sp];
		r->ours[r->sp] = stmt[1] == 't' && r->kind == PV_TEMPLATE_TOPLEVEL;
	} else if (n == 9 && strncmp(stmt, ".previous", 9) == 0) {
		int t = r->ours[r->sp];

		r->ours[r->sp] = r->prev_ours;
		r->prev_ours = t;
	} else if (r->ours[r->sp] && !r->in_bundle &&
		   ((n == 5 && strncmp(stmt, "data1", 5) == 0) || strncmp(stmt, ".byte", 5) == 0 ||
		    strncmp(stmt, ".word", 5) == 0 || strncmp(stmt, ".long", 5) == 0)) {
		diag(r, PV_DIAG_RAW_BYTES, at,
		     "'%s' in IA-64 code: previrt cannot tell what it assembles to; not annotated",
		     stmt);
	}
}

/*
 * The statement with every bare "%N" whose operand is a known constant
 * replaced by its decimal value ("%%" and modified forms such as "%r1" stay).
 */
static void substitute(const struct pv_ia64_operands *ops, const char *stmt, char *w, size_t n)
{
	size_t k = 0;

	while (*stmt && k + 1 < n) {
		if (stmt[0] == '%' && isdigit((unsigned char)stmt[1])) {
			char *end;
			long op = strtol(stmt + 1, &end, 10);

			if (op < ops->n && op < PV_IA64_MAX_OPERANDS && ops->known[op]) {
				int m = snprintf(w + k, n - k, "%lld", ops->value[op]);

				if (m < 0 || (size_t)m >= n - k)
					break;
				k += (size_t)m;
				stmt = end;
				continue;
			}
		}
		w[k++] = *stmt++;
	}
	w[k] = '\0';
}

static void instruction(struct ia64_rewriter *r, size_t at, size_t end, const char *stmt)
{
	struct pv_ia64_insn in;
	enum pv_ia64_verdict v;
	char resolved[256];
	int flags;

	if (r->in_macro_def)
		return;
	if (r->ops) {
		substitute(r->ops, stmt, resolved, sizeof(resolved));
		v = pv_ia64_classify(resolved, &in);
	} else {
		v = pv_ia64_classify(stmt, &in);
	}
	if (!r->ours[r->sp]) {
		if (v == PV_IA64_SENSITIVE && r->u->opt.class_enabled[in.klass])
			diag(r, PV_DIAG_SECTION, at,
			     "'%s' runs in a section other than the function's own: "
			     "not annotated; move it out of the section switch", stmt);
		return;
	}
	if (v == PV_IA64_OPAQUE) {
		diag(r, PV_DIAG_OPAQUE, at,
		     "cannot classify '%s': an operand stands for its mnemonic or register; "
		     "not annotated", stmt);
	} else if (v == PV_IA64_SENSITIVE && r->u->opt.class_enabled[in.klass] && r->label_clash) {
		if (r->label_clash == 1)
			diag(r, PV_DIAG_UNSUPPORTED, at, "%s",
			     "the template uses previrt's sled labels 8841/8842/8843: "
			     "not annotated; rename them");
		r->label_clash = 2;
	} else if (v == PV_IA64_SENSITIVE && r->u->opt.class_enabled[in.klass]) {
		flags = r->device ? PREVIRT_F_DEVICE : 0;
		if (!r->in_bundle) {
			emit_sled(r, at, end, &in, flags);
		} else if (r->npending < MAX_PENDING && r->slot < 3) {
			if (r->npending == 0)
				add_edit(r, r->bundle_at, "\n8841:\n");
			r->pending[r->npending].klass = in.klass;
			r->pending[r->npending].flags = flags;
			r->pending[r->npending].slot = r->slot;
			r->npending++;
			count_site(r, in.klass);
		}
	}
	if (r->in_bundle)
		r->slot += in.slots;
}

static void statement(struct ia64_rewriter *r, size_t a, size_t b)
{
	size_t body = pv_asm_skip_labels(r->t, a, b, "?");
	char stmt[256];
	size_t len;

	while (b > body && isspace((unsigned char)r->t[b - 1]))
		b--;
	if (body >= b)
		return;
	len = b - body < sizeof(stmt) - 1 ? b - body : sizeof(stmt) - 1;
	memcpy(stmt, r->t + body, len);
	stmt[len] = '\0';
	if (stmt[0] == '.')
		directive(r, body, stmt);
	else
		instruction(r, body, b, stmt);
}

int pv_ia64_rewrite(struct pv_unit *u, const char *tmpl, enum pv_template_kind kind,
		    int device, struct pv_result *res)
{
	return pv_ia64_rewrite_operands(u, tmpl, kind, device, NULL, res);
}

int pv_ia64_rewrite_operands(struct pv_unit *u, const char *tmpl, enum pv_template_kind kind,
			     int device, const struct pv_ia64_operands *ops,
			     struct pv_result *res)
{
	struct ia64_rewriter r;
	size_t pos, start = 0, len = strlen(tmpl);
	int failed;
	int quote = 0, comment = 0;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.u = u;
	r.res = res;
	r.t = tmpl;
	r.kind = kind;
	r.device = device;
	r.ops = kind == PV_TEMPLATE_EXTENDED ? ops : NULL;
	r.ours[0] = 1;		/* the function's own section; top level: gas starts in .text */
	r.prev_ours = 1;
	if (pv_sled_writes_records(tmpl))
		return 0;	/* a hand-written sled: patchable as it is */
	r.label_clash = pv_sled_labels_spelled(tmpl);

	for (pos = 0; pos <= len && !r.edits.failed; pos++) {
		char c = pos < len ? tmpl[pos] : '\n';

		if (quote) {
			if (c == '\\' && pos + 1 < len)
				pos++;
			else if (c == '"')
				quote = 0;
			continue;
		}
		if (comment == 1) {		/* "//" or '#' to the end of the line */
			if (c == '\n') {
				comment = 0;
				start = pos + 1;
			}
			continue;
		} else if (comment == 2) {	/* C comment */
			if (c == '*' && pos + 1 < len && tmpl[pos + 1] == '/') {
				pos++;
				comment = 0;
				start = pos + 1;
			}
			continue;
		}
		if (c == '"') {
			quote = 1;
		} else if (c == '/' && pos + 1 < len && (tmpl[pos + 1] == '/' || tmpl[pos + 1] == '*')) {
			statement(&r, start, pos);
			comment = tmpl[pos + 1] == '/' ? 1 : 2;
			pos++;
			start = pos + 1;
		} else if (c == '#' && pv_asm_skip_labels(tmpl, start, pos, "?") == pos) {
			comment = 1;	/* '#' opening a statement: a comment line */
		} else if (c == '\n' || c == ';' || c == '{' || c == '}') {
			statement(&r, start, pos);
			if (c == ';' && pos + 1 < len && tmpl[pos + 1] == ';')
				pos++;	/* a stop: it separates statements too */
			if (c == '{') {
				if (r.in_bundle)
					diag(&r, PV_DIAG_UNSUPPORTED, pos, "%s", "nested '{'");
				r.in_bundle = 1;
				r.bundle_at = pos;
				r.slot = 0;
				r.npending = 0;
			} else if (c == '}') {
				close_bundle(&r, pos + 1);
			}
			start = pos + 1;
		}
	}
	if (!r.edits.failed && r.in_bundle)
		diag(&r, PV_DIAG_UNSUPPORTED, len, "%s", "explicit bundle '{' not closed");
	if (!r.edits.failed && (r.sp != 0 || !r.ours[0]) && kind != PV_TEMPLATE_TOPLEVEL)
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
