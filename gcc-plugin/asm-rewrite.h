/* SPDX-License-Identifier: MIT */
/*
 * Rewriting one asm template: find its sensitive instructions and give each
 * a sled and a previrt_sites record, leaving every other byte as it was.
 *
 * Plain C on purpose: the GCC glue (previrt-plugin.c) hands templates in and
 * takes new ones out, and the unit tests drive the same functions directly.
 */
#ifndef PREVIRT_ASM_REWRITE_H
#define PREVIRT_ASM_REWRITE_H

#include <stddef.h>

#include "previrt/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

enum pv_template_kind {
	PV_TEMPLATE_BASIC,	/* asm("...") in a function: '%' is literal */
	PV_TEMPLATE_EXTENDED,	/* asm("..." : ...): "%%" is '%', "%=" etc. */
	PV_TEMPLATE_TOPLEVEL,	/* asm("...") outside functions */
};

/* Options that hold for a whole translation unit. */
struct pv_options {
	int bits;				/* 16 (never annotated), 32 or 64 */
	unsigned char class_enabled[PREVIRT_CLASS_COUNT]; /* 0: leave that class alone */
	int no_nopl;				/* target CPU lacks 0f 1f NOPs: pad with 0x90 */
	/*
	 * Whole assembler files (previrt-as) rather than GCC's templates:
	 * sleds go inside .macro bodies too, one per expansion, and a macro
	 * whose body takes instructions from its arguments is judged at each
	 * invocation by the arguments written there.
	 */
	int macro_sleds;
	/*
	 * The sled text goes on its instruction's own line, ';' between its
	 * statements, so that gas's line numbers (its messages, -g line
	 * tables) stay those of the source.
	 */
	int keep_lines;
	/*
	 * Called for every diagnostic as it is made, with the offset of its
	 * statement in the text: a whole file has more than PV_MAX_DIAGS.
	 */
	void (*diag_sink)(void *ctx, const char *text, size_t at, int kind, const char *msg);
	void *diag_ctx;
};

/*
 * State that outlives one template, as gas's does: macros defined in asm
 * (for warnings), and the sections opened with flags, since gas gives a
 * section reopened without flags the flags it was first given.
 */
#define PV_MAX_MACROS 256
#define PV_MAX_SECTIONS 64
struct pv_unit {
	struct pv_options opt;
	int nmacros;
	struct {
		char name[48];
		int klass;		/* first sensitive class in its body, 0 if none */
		int opaque;		/* its body builds statements from its arguments */
		int prefix;		/* its body has a prefix statement */
		int sleds;		/* sites written into its body (macro_sleds) */
		int data;		/* its body writes data (macro_sleds): judged where expanded */
		char chained[96];	/* ",v1,v2,": argument values its body has sleds for */
	} macros[PV_MAX_MACROS];
	int nsections;
	struct {
		char name[64];
		int exec;		/* opened with "x" in its flags */
	} sections[PV_MAX_SECTIONS];
	/*
	 * The function the template is in, for the record's section: linked
	 * to it (SHF_LINK_ORDER) and in its COMDAT group, so that the linker
	 * drops a record with the code it describes (--gc-sections, a
	 * discarded C++ inline copy). Empty: a plain "a" section (top level).
	 */
	char link_sym[256];
	char link_group[256];
	/*
	 * A template of this unit ended with a prefix: gas joins it to what
	 * follows that asm, perhaps another template's first instruction, so
	 * no template's first site vouches for its boundary from then on.
	 */
	int prefix_left_pending;
	/* Totals for the unit's report. */
	unsigned int sites;
	unsigned int per_class[PREVIRT_CLASS_COUNT];
	unsigned int warnings;
};

enum pv_diag_kind {
	PV_DIAG_OPAQUE,		/* mnemonic we cannot read (an operand, "%0") */
	PV_DIAG_RAW_BYTES,	/* .byte/.long in code that is not a known encoding */
	PV_DIAG_MACRO,		/* invocation of an asm macro with sensitive insns */
	PV_DIAG_UNSUPPORTED,	/* dialect alternatives, .insn, .include, .code16 */
	PV_DIAG_SECTION,	/* template leaves the section switched */
	PV_DIAG_REAL_MODE,	/* sensitive instruction in .code16 */
	PV_DIAG_FORCED_EMULATION, /* after ud2 + "xen"/"kvm": the hypervisor's to emulate */
	PV_DIAG_REFUSED,	/* previrt cannot build this correctly: always an error */
	PV_DIAG_PREFIX,		/* a prefix that cannot join its instruction's site */
	PV_DIAG_KINDS
};

/*
 * Every kind but PV_DIAG_REFUSED is about code previrt leaves as it was:
 * the build stays correct, so the plugin says it as a note (an error only
 * with -fplugin-arg-previrt-werror). A refusal is an error on its own.
 */
static inline int pv_diag_is_refusal(enum pv_diag_kind k)
{
	return k == PV_DIAG_REFUSED;
}

/* Short name of a kind, for grouped diagnostics and the report. */
const char *pv_diag_kind_name(enum pv_diag_kind k);

#define PV_MAX_DIAGS 8
struct pv_diag {
	enum pv_diag_kind kind;
	int line;		/* 1-based line within the template */
	char msg[160];
};

struct pv_result {
	char *text;		/* new template (malloc), NULL when nothing changed */
	unsigned int sites;
	unsigned int per_class[PREVIRT_CLASS_COUNT];
	int ndiags;
	struct pv_diag diags[PV_MAX_DIAGS];
	unsigned int per_kind[PV_DIAG_KINDS];	/* all of them, also past PV_MAX_DIAGS */
};

void pv_unit_init(struct pv_unit *u, int bits);

/*
 * Record a diagnostic about the statement at offset 'at' of template tmpl
 * (fmt has one %s, for arg): counted in the unit and by kind, kept in res
 * up to PV_MAX_DIAGS. Every target's rewriter reports through this.
 */
void pv_result_diag(struct pv_unit *u, struct pv_result *res, const char *tmpl, size_t at,
		    enum pv_diag_kind kind, const char *fmt, const char *arg);

/*
 * Enable or disable classes by a comma-separated list of class names
 * ("cli,sti", "all", "none"). Returns 0, or -1 with *bad pointing at the
 * unknown name.
 */
int pv_select_classes(struct pv_unit *u, const char *list, int enable, const char **bad);

/*
 * Rewrite 'tmpl'. 'device' says that the template belongs to a port/MMIO
 * accessor: then every instruction in it is a site, tagged PREVIRT_F_DEVICE.
 * Diagnostics never stop the rewrite of the other instructions; an
 * instruction that draws one is left exactly as it was.
 * Returns the number of sites, or -1 when out of memory.
 */
int pv_rewrite(struct pv_unit *u, const char *tmpl, enum pv_template_kind kind,
	       int device, struct pv_result *res);

void pv_result_free(struct pv_result *res);

#ifdef __cplusplus
}
#endif
#endif
