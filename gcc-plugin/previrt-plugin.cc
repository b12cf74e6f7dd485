// SPDX-License-Identifier: MIT
/*
 * previrt.so: the GCC side of pre-virtualization.
 *
 * A GIMPLE pass, placed after "optimized" so that it sees each asm statement
 * the way it will be expanded (after inlining and cloning, so accessor bodies
 * are found through their inline origins), hands every template to the
 * plain-C rewriter in asm-rewrite.c and stores the result back. Top-level
 * asm is rewritten once, before the IPA passes let it be output.
 *
 * Everything that knows about x86 instructions lives in x86-classify.c; this
 * file only knows about GCC.
 *
 * Arguments (-fplugin-arg-previrt-NAME[=VALUE]):
 *   report[=FILE]            per translation unit: sites by class, then every
 *                            diagnostic with its line
 *   werror                   the notes about code left alone are errors
 *   classes=LIST             annotate only these classes (names as in abi.h)
 *   no-classes=LIST          annotate all classes but these
 *   device-functions=LIST    port/MMIO accessors, replacing the default list
 *   device-functions-add=LIST  added to the default list
 *   lto-link                 with -flto: the link loads the plugin too
 */
#include "gcc-compat.h"
#include "plugin-version.h"

#include <stdio.h>
#include <string.h>

#include "asm-rewrite.h"
#include "asm-sled.h"
#include "ia64-rewrite.h"
#include "previrt-diag.h"

/*
 * One source, two targets: built against an x86 gcc's headers it rewrites
 * x86 templates; built with -DPREVIRT_TARGET_IA64 against an IA-64 gcc's
 * (testsuite/ia64/Makefile.am) it rewrites IA-64 ones. Mixing them up would
 * annotate the wrong instruction set, so it does not compile.
 */
#if defined(PREVIRT_TARGET_IA64) == defined(TARGET_16BIT)
#error "previrt: define PREVIRT_TARGET_IA64 exactly when building against an IA-64 gcc"
#endif
#ifdef PREVIRT_TARGET_IA64
#define pv_target_rewrite pv_ia64_rewrite
#else
#define pv_target_rewrite pv_rewrite
#endif

int plugin_is_GPL_compatible;

static struct plugin_info previrt_plugin_info = {
	"0.1.0",
	"previrt: pad sensitive instructions in asm with sleds and record them in "
	"previrt_sites; args: report[=FILE] werror classes= no-classes= "
	"device-functions= device-functions-add= lto-link",
};

/*
 * Linux's port and MMIO accessors (asm/io.h, asm/shared/io.h) and their
 * usual spellings elsewhere. A clone's name ("readl.constprop.0") counts
 * as its origin's.
 */
static const char default_device_functions[] =
	"inb,inw,inl,outb,outw,outl,inb_p,inw_p,inl_p,outb_p,outw_p,outl_p,"
	"__inb,__inw,__inl,__outb,__outw,__outl,insb,insw,insl,outsb,outsw,outsl,"
	"readb,readw,readl,readq,writeb,writew,writel,writeq,"
	"__readb,__readw,__readl,__readq,__writeb,__writew,__writel,__writeq,"
	"__raw_readb,__raw_readw,__raw_readl,__raw_readq,"
	"__raw_writeb,__raw_writew,__raw_writel,__raw_writeq,"
	"readb_relaxed,readw_relaxed,readl_relaxed,readq_relaxed,"
	"writeb_relaxed,writew_relaxed,writel_relaxed,writeq_relaxed,"
	"ioread8,ioread16,ioread32,ioread64,iowrite8,iowrite16,iowrite32,iowrite64";

static struct pv_unit unit;
static bool unit_ready;
static bool opt_werror;
static bool opt_lto_link;
static const char *opt_report;	/* "" = stderr */
static char *device_functions;	/* ",a,b,c," for strstr */

static void set_device_functions(const char *list, bool add)
{
	size_t old = add && device_functions ? strlen(device_functions) : 0;
	char *s = (char *)xmalloc(old + strlen(list) + 3);

	if (old)
		memcpy(s, device_functions, old);
	else
		s[old++] = ',';
	strcpy(s + old, list);
	strcat(s, ",");
	free(device_functions);
	device_functions = s;
}

static bool is_device_function(tree decl)
{
	char name[128];
	const char *id;
	size_t n;

	if (!decl || TREE_CODE(decl) != FUNCTION_DECL || !DECL_NAME(decl))
		return false;
	id = IDENTIFIER_POINTER(DECL_NAME(decl));
	n = strcspn(id, ".");
	if (n + 3 > sizeof(name))
		return false;
	name[0] = ',';
	memcpy(name + 1, id, n);
	name[n + 1] = ',';
	name[n + 2] = '\0';
	return strstr(device_functions, name) != NULL;
}

/* Was this statement written in an accessor, here or in an inlined copy? */
static bool in_device_accessor(gimple *stmt)
{
	tree b;

	if (is_device_function(current_function_decl))
		return true;
	if (DECL_ABSTRACT_ORIGIN(current_function_decl) &&
	    is_device_function(DECL_ABSTRACT_ORIGIN(current_function_decl)))
		return true;
	for (b = gimple_block(stmt); b && TREE_CODE(b) == BLOCK; b = BLOCK_SUPERCONTEXT(b)) {
		tree origin;

		if (!inlined_function_outer_scope_p(b))
			continue;
		origin = block_ultimate_origin(b);
		if (origin && is_device_function(origin))
			return true;
	}
	return false;
}

#ifndef PREVIRT_TARGET_IA64
/*
 * CPUs before the P6 generation (and the cores built like them) have no
 * 0f 1f NOP: a long NOP would raise #UD there, so their sleds are padded
 * with 0x90 (abi.h). NULL is the configured default, which is i686 or later.
 */
static bool arch_lacks_nopl(const char *arch)
{
	static const char *const old_cpus[] = {
		"i386", "i486", "i586", "pentium", "pentium-mmx", "winchip-c6",
		"winchip2", "c3", "k6", "k6-2", "k6-3", "geode", "lakemont",
	};

	for (size_t i = 0; arch && i < sizeof(old_cpus) / sizeof(old_cpus[0]); i++)
		if (strcmp(arch, old_cpus[i]) == 0)
			return true;
	return false;
}
#endif

static void ensure_unit(void)
{
	if (unit_ready)
		return;
	/*
	 * -m32 and -m64 builds of one file use one plugin binary. -m16 code
	 * (real-mode setup) is never annotated: the padding NOPs would decode
	 * differently there; the rewriter warns about each instruction instead.
	 */
#ifdef PREVIRT_TARGET_IA64
	unit.opt.bits = 64;
#else
	unit.opt.bits = TARGET_16BIT ? 16 : TARGET_64BIT ? 64 : 32;
	unit.opt.no_nopl = !TARGET_64BIT && arch_lacks_nopl(ix86_arch_string);
#endif
	unit_ready = true;
}

#ifdef PREVIRT_TARGET_IA64
/*
 * The constant ("i") operands of an asm: Linux's ia64_getreg() names the
 * register by one ("mov %0=ar%1"), so the rewriter must see its value.
 * Outputs come first in the numbering, then inputs.
 */
static void asm_constants(gasm *stmt, struct pv_ia64_operands *ops)
{
	unsigned int nout = gimple_asm_noutputs(stmt), nin = gimple_asm_ninputs(stmt);

	memset(ops, 0, sizeof(*ops));
	ops->n = nout + nin < PV_IA64_MAX_OPERANDS ? (int)(nout + nin) : PV_IA64_MAX_OPERANDS;
	for (unsigned int i = 0; i < nin && nout + i < PV_IA64_MAX_OPERANDS; i++) {
		tree v = TREE_VALUE(gimple_asm_input_op(stmt, i));

		if (TREE_CODE(v) == INTEGER_CST && tree_fits_shwi_p(v)) {
			ops->known[nout + i] = 1;
			ops->value[nout + i] = tree_to_shwi(v);
		}
	}
}
#endif

#ifdef PREVIRT_TARGET_IA64
/*
 * On IA-64 a patched site calls its handler with "brl.call b7", which
 * overwrites b7 and ar.pfs. A leaf function that made no alloc still needs
 * its ar.pfs for its own return, so every asm holding a site declares both
 * clobbered: gcc then saves and restores ar.pfs around it (an alloc in the
 * prologue) and keeps nothing in b7 across it. The operand vectors of a
 * gasm are fixed, so the statement is rebuilt with the clobbers added; a
 * basic asm becomes an extended one ('%' doubled, memory clobbered, as
 * gcc assumes of basic asm) since only those have clobbers.
 */
static bool has_clobber(gasm *stmt, const char *name)
{
	for (unsigned int i = 0; i < gimple_asm_nclobbers(stmt); i++)
		if (strcmp(TREE_STRING_POINTER(TREE_VALUE(gimple_asm_clobber_op(stmt, i))), name) == 0)
			return true;
	return false;
}

static char *double_percents(const char *t)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = t; *p; p++)
		n += *p == '%' ? 2 : 1;
	o = out = (char *)xmalloc(n + 1);
	for (const char *p = t; *p; p++) {
		if (*p == '%')
			*o++ = '%';
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

static void push_clobber(vec<tree, va_gc> **clob, gasm *stmt, const char *r)
{
	if (!has_clobber(stmt, r))
		vec_safe_push(*clob, build_tree_list(NULL_TREE, build_string(strlen(r) + 1, r)));
}

static gasm *with_call_clobbers(gimple_stmt_iterator *gsi, gasm *stmt, const char *text)
{
	vec<tree, va_gc> *in = NULL, *out = NULL, *clob = NULL, *labels = NULL;
	bool basic = gimple_asm_input_p(stmt);
	char *ext = basic ? double_percents(text) : NULL;
	gasm *n;
	unsigned int i;

	for (i = 0; i < gimple_asm_ninputs(stmt); i++)
		vec_safe_push(in, gimple_asm_input_op(stmt, i));
	for (i = 0; i < gimple_asm_noutputs(stmt); i++)
		vec_safe_push(out, gimple_asm_output_op(stmt, i));
	for (i = 0; i < gimple_asm_nclobbers(stmt); i++)
		vec_safe_push(clob, gimple_asm_clobber_op(stmt, i));
	for (i = 0; i < gimple_asm_nlabels(stmt); i++)
		vec_safe_push(labels, gimple_asm_label_op(stmt, i));
	if (basic)
		push_clobber(&clob, stmt, "memory");
	push_clobber(&clob, stmt, "ar.pfs");
	push_clobber(&clob, stmt, "b7");

	n = gimple_build_asm_vec(ggc_strdup(basic ? ext : text), in, out, clob, labels);
	free(ext);
	gimple_asm_set_volatile(n, basic || gimple_asm_volatile_p(stmt));
	gimple_asm_set_inline(n, gimple_asm_inline_p(stmt));
	gimple_set_location(n, gimple_location(stmt));
	gimple_set_block(n, gimple_block(stmt));
	/* The new statement takes over the old one's definitions. */
	gimple_set_vuse(n, gimple_vuse(stmt));
	gimple_set_vdef(n, gimple_vdef(stmt));
	if (gimple_vdef(n) && TREE_CODE(gimple_vdef(n)) == SSA_NAME)
		SSA_NAME_DEF_STMT(gimple_vdef(n)) = n;
	for (i = 0; i < gimple_asm_noutputs(n); i++) {
		tree op = TREE_VALUE(gimple_asm_output_op(n, i));

		if (TREE_CODE(op) == SSA_NAME)
			SSA_NAME_DEF_STMT(op) = n;
	}
	gsi_replace(gsi, n, false);
	return n;
}
#endif

#ifndef PREVIRT_TARGET_IA64
/*
 * The records of a function's asm follow its code (pv_unit.link_sym): the
 * assembler name, without the '*' that marks a name used verbatim.
 */
static void set_link_target(tree fn)
{
	const char *sym = fn ? IDENTIFIER_POINTER(DECL_ASSEMBLER_NAME(fn)) : "";
	tree group = fn ? DECL_COMDAT_GROUP(fn) : NULL_TREE;

	if (*sym == '*')
		sym++;
	snprintf(unit.link_sym, sizeof(unit.link_sym), "%s", sym);
	snprintf(unit.link_group, sizeof(unit.link_group), "%s",
		 group ? IDENTIFIER_POINTER(group) : "");
}
#endif

static int rewrite_asm_stmt(gasm *stmt, const char *tmpl, struct pv_result *res)
{
	enum pv_template_kind kind = gimple_asm_input_p(stmt) ? PV_TEMPLATE_BASIC
							      : PV_TEMPLATE_EXTENDED;
#ifdef PREVIRT_TARGET_IA64
	struct pv_ia64_operands ops;

	asm_constants(stmt, &ops);
	return pv_ia64_rewrite_operands(&unit, tmpl, kind, in_device_accessor(stmt), &ops, res);
#else
	set_link_target(current_function_decl);
	return pv_rewrite(&unit, tmpl, kind, in_device_accessor(stmt), res);
#endif
}

static unsigned int rewrite_function_asm(function *fun)
{
	basic_block bb;

	ensure_unit();
	FOR_EACH_BB_FN(bb, fun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gasm *stmt = dyn_cast<gasm *>(gsi_stmt(gsi));
			struct pv_result res;
			const char *tmpl;

			if (!stmt)
				continue;
			tmpl = gimple_asm_string(stmt);
			if (rewrite_asm_stmt(stmt, tmpl, &res) < 0) {
				error_at(gimple_location(stmt), "previrt: out of memory rewriting %<asm%>");
				continue;
			}
			pv_diag_asm(gimple_location(stmt), &res, strchr(tmpl, '\n') != NULL);
#ifdef PREVIRT_TARGET_IA64
			if (res.text && res.sites)
				stmt = with_call_clobbers(&gsi, stmt, res.text);
			else
#endif
			if (res.text)
				stmt->string = ggc_strdup(res.text);
			pv_result_free(&res);
		}
	}
	return 0;
}

namespace {
const pass_data previrt_pass_data = {
	GIMPLE_PASS,
	"previrt",
	OPTGROUP_NONE,
	TV_NONE,
	PROP_cfg,
	0, 0, 0, 0,
};

class previrt_pass : public gimple_opt_pass {
public:
	previrt_pass(gcc::context *ctxt) : gimple_opt_pass(previrt_pass_data, ctxt) {}
	bool gate(function *) final override { return true; }
	unsigned int execute(function *fun) final override { return rewrite_function_asm(fun); }
};
}

/*
 * IPA-ICF folds functions whose bodies compare equal, and an asm inlined
 * from a device accessor compares equal to the same asm written elsewhere:
 * the folded copy would then keep one of the two device flags. So after
 * early inlining, a function with asm is never folded (attribute no_icf);
 * that changes code size, never what the code does.
 */
static unsigned int keep_asm_unfolded(function *fun)
{
	basic_block bb;

	if (lookup_attribute("no_icf", DECL_ATTRIBUTES(fun->decl)))
		return 0;
	FOR_EACH_BB_FN(bb, fun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			if (gimple_code(gsi_stmt(gsi)) != GIMPLE_ASM)
				continue;
			DECL_ATTRIBUTES(fun->decl) = tree_cons(get_identifier("no_icf"), NULL_TREE,
							       DECL_ATTRIBUTES(fun->decl));
			return 0;
		}
	}
	return 0;
}

/*
 * With -flto the function passes run in lto1 at link time, where the plugin
 * is loaded only if the link command names it too: what this compilation
 * writes is not annotated. Each asm that would get a site says so (unless
 * lto-link promises the link loads the plugin); the scan uses a copy of the
 * unit so that the report counts only what is annotated.
 */
static const char lto_deferred_msg[] =
	"with -flto this asm is annotated at link time only: give -fplugin to the "
	"link as well (then say so with -fplugin-arg-previrt-lto-link)";

static unsigned int warn_lto_deferred(function *fun)
{
	basic_block bb;

	ensure_unit();
	FOR_EACH_BB_FN(bb, fun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gasm *stmt = dyn_cast<gasm *>(gsi_stmt(gsi));
			struct pv_unit scratch = unit;
			struct pv_result res;
			int sites;

			if (!stmt)
				continue;
			sites = pv_target_rewrite(&scratch, gimple_asm_string(stmt),
						  gimple_asm_input_p(stmt) ? PV_TEMPLATE_BASIC
									   : PV_TEMPLATE_EXTENDED,
						  in_device_accessor(stmt), &res);
			pv_result_free(&res);
			if (sites <= 0)
				continue;
			if (opt_werror)
				error_at(gimple_location(stmt), "previrt: %s", lto_deferred_msg);
			else
				inform(gimple_location(stmt), "previrt: %s", lto_deferred_msg);
		}
	}
	return 0;
}

namespace {
const pass_data previrt_icf_pass_data = {
	GIMPLE_PASS, "previrt-no-icf", OPTGROUP_NONE, TV_NONE, PROP_cfg, 0, 0, 0, 0,
};

class previrt_icf_pass : public gimple_opt_pass {
public:
	previrt_icf_pass(gcc::context *ctxt) : gimple_opt_pass(previrt_icf_pass_data, ctxt) {}
	bool gate(function *) final override { return flag_ipa_icf_functions; }
	unsigned int execute(function *fun) final override { return keep_asm_unfolded(fun); }
};

const pass_data previrt_lto_pass_data = {
	GIMPLE_PASS, "previrt-lto", OPTGROUP_NONE, TV_NONE, PROP_cfg, 0, 0, 0, 0,
};

class previrt_lto_pass : public gimple_opt_pass {
public:
	previrt_lto_pass(gcc::context *ctxt) : gimple_opt_pass(previrt_lto_pass_data, ctxt) {}
	bool gate(function *) final override
	{
		return flag_generate_lto && !in_lto_p && !opt_lto_link;
	}
	unsigned int execute(function *fun) final override { return warn_lto_deferred(fun); }
};
}

/* Registers a pass of ours after the first instance of pass 'after'. */
static void add_pass(const char *plugin, opt_pass *pass, const char *after)
{
	struct register_pass_info info;

	info.pass = pass;
	info.reference_pass_name = after;
	info.ref_pass_instance_number = 1;
	info.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(plugin, PLUGIN_PASS_MANAGER_SETUP, NULL, &info);
}

/*
 * Was this top-level asm rewritten already? In lto1 it was, when the
 * compilation that wrote the object loaded the plugin: a second rewrite
 * would give each instruction a second, overlapping record.
 */
static bool rewritten_before(const char *tmpl)
{
	return in_lto_p && strstr(tmpl, ".pushsection " PREVIRT_SECTION ",") != NULL;
}

/* Top-level asm: rewrite before the IPA passes let cgraphunit output it. */
static void rewrite_toplevel_asm(void *, void *)
{
	ensure_unit();
	for (asm_node *a = symtab->first_asm_symbol(); a; a = a->next) {
		const char *tmpl = TREE_STRING_POINTER(a->asm_str);
		struct pv_result res;

		if (rewritten_before(tmpl))
			continue;

		if (pv_target_rewrite(&unit, tmpl, PV_TEMPLATE_TOPLEVEL, 0, &res) < 0) {
			error("previrt: out of memory rewriting top-level %<asm%>");
			continue;
		}
		pv_diag_asm(UNKNOWN_LOCATION, &res, true);
		if (res.text)
			a->asm_str = build_string(strlen(res.text) + 1, res.text);
		pv_result_free(&res);
	}
}

static void finish_unit(void *, void *)
{
	FILE *f;

	pv_diag_flush();
	if (!opt_report)
		return;
	f = *opt_report ? fopen(opt_report, "a") : stderr;
	if (!f) {
		error("previrt: cannot open report file %qs", opt_report);
		return;
	}
	fprintf(f, "previrt: %s: %u sites", main_input_filename, unit.sites);
	for (unsigned int c = 1; c < PREVIRT_CLASS_COUNT; c++)
		if (unit.per_class[c])
			fprintf(f, " %s=%u", previrt_class_name(c), unit.per_class[c]);
	fprintf(f, ", %u warnings\n", unit.warnings);
	pv_diag_write_report(f);
	if (f != stderr)
		fclose(f);
}

#ifndef PREVIRT_TARGET_IA64
/* The driver's arguments, NULs turned into spaces; "" when unreadable. */
static void read_driver_args(char *buf, size_t n)
{
	char path[64];
	size_t got = 0;
	FILE *f;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)getppid());
	f = fopen(path, "rb");
	if (!f)
		return;
	got = fread(buf, 1, n - 1, f);
	fclose(f);
	buf[got] = '\0';
	for (size_t i = 0; i < got; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
}
#endif

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version)
{
	const char *bad;

	if (!plugin_default_version_check(version, &gcc_version)) {
		error("previrt: this previrt.so was built for gcc %s (%s), but gcc %s (%s) loaded it: "
		      "their %s differs; use the previrt.so built for gcc %s (each GCC has its own, "
		      "in its plugin directory) or rebuild the plugin for it",
		      gcc_version.basever, gcc_version.datestamp, version->basever, version->datestamp,
		      pv_gcc_version_difference(&gcc_version, version), version->basever);
		return 1;
	}
#ifndef PREVIRT_TARGET_IA64
	if (ix86_asm_dialect != ASM_ATT) {
		error("previrt: %<-masm=intel%> is not supported: %<asm%> templates are read as AT&T");
		return 1;
	}
	/*
	 * cc1 never sees -Wa options, not even in COLLECT_GCC_OPTIONS: they
	 * are on the command line of the driver, cc1's parent.
	 */
	static char driver_args[32768];
	size_t optlen;
	read_driver_args(driver_args, sizeof(driver_args));
	const char *asm_opt = pv_sled_breaking_option(driver_args, &optlen);
	if (asm_opt) {
		error("previrt: assembler option %<%.*s%> is not supported: gas would put its own "
		      "bytes (an lfence, or branch-alignment NOPs) inside sleds, which the runtime "
		      "then refuses", (int)optlen, asm_opt);
		return 1;
	}
#endif

	pv_unit_init(&unit, 64);
	set_device_functions(default_device_functions, false);
	for (int i = 0; i < info->argc; i++) {
		const char *k = info->argv[i].key, *v = info->argv[i].value;

		if (strcmp(k, "report") == 0) {
			opt_report = v ? v : "";
		} else if (strcmp(k, "werror") == 0) {
			opt_werror = true;
		} else if (strcmp(k, "lto-link") == 0) {
			opt_lto_link = true;
		} else if ((strcmp(k, "classes") == 0 || strcmp(k, "no-classes") == 0) && v && !*v) {
			/* An empty list would silently annotate nothing (or everything). */
			error("previrt: %<-fplugin-arg-previrt-%s=%> names no class: give a list, "
			      "%<all%> or %<none%>", k);
			return 1;
		} else if ((strcmp(k, "classes") == 0 || strcmp(k, "no-classes") == 0) && v) {
			bool only = k[0] == 'c';

			if (only)
				pv_select_classes(&unit, "all", 0, &bad);
			if (pv_select_classes(&unit, v, only, &bad) < 0) {
				error("previrt: unknown class in %<-fplugin-arg-previrt-%s=%s%> at %qs",
				      k, v, bad);
				return 1;
			}
		} else if (strcmp(k, "device-functions") == 0 && v) {
			set_device_functions(v, false);
		} else if (strcmp(k, "device-functions-add") == 0 && v) {
			set_device_functions(v, true);
		} else {
			error("previrt: unknown argument %<-fplugin-arg-previrt-%s%>", k);
			return 1;
		}
	}

	pv_diag_set_werror(opt_werror);
	pv_diag_keep_lines(opt_report != NULL);

	struct register_pass_info pass_info;
	pass_info.pass = new previrt_pass(g);
	pass_info.reference_pass_name = "optimized";
	pass_info.ref_pass_instance_number = 1;
	pass_info.pos_op = PASS_POS_INSERT_AFTER;

	register_callback(info->base_name, PLUGIN_INFO, NULL, &previrt_plugin_info);
	register_callback(info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &pass_info);
	add_pass(info->base_name, new previrt_icf_pass(g), "einline");
	add_pass(info->base_name, new previrt_lto_pass(g), "cfg");
	register_callback(info->base_name, PLUGIN_ALL_IPA_PASSES_START, rewrite_toplevel_asm, NULL);
	register_callback(info->base_name, PLUGIN_FINISH_UNIT, finish_unit, NULL);
	return 0;
}
