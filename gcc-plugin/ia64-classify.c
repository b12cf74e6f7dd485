// SPDX-License-Identifier: MIT
/*
 * The IA-64 sensitive-instruction table.
 *
 * Classes are the x86 ones of abi.h, reused by the role the instruction
 * plays for a hypervisor, so that the record layout, the class names in
 * reports and the per-class options need nothing new:
 *
 *   rsm                          cli        (clears PSR bits, psr.i among them)
 *   ssm                          sti        (sets PSR bits)
 *   mov rN=psr, mov rN=psr.um    pushf      (reads the PSR)
 *   mov psr.l=rN, mov psr.um=rN  popf       (writes the PSR)
 *   mov cr.* (or crN), rr[], pkr[], mov to ar.k0-7 (ar0-7), cover  cr
 *   mov ibr[], dbr[]             dr
 *   mov pmc[], pmd[]             pmc
 *   mov msr[]                    msr
 *   mov rN=cpuid[]               cpuid      (shows the host processor)
 *   mov ar.itc, ar44 (either way)  tsc      (time is virtualized)
 *   mov ar.ruc, ar45 (either way)  tsc      (the resource utilization counter)
 *   mov ar.rsc=, ar16=           cr         (rsc.pl below the CPL is raised to it)
 *   epc                          far_xfer   (raises the privilege level)
 *   vmsw.0, vmsw.1               vmx        (switches PSR.vm: the host's)
 *   itc, itr, ptc, ptr, thash, ttag, tpa, tak                   tlb
 *   probe.*                      seg_check  (answer depends on privilege)
 *   rfi                          kret
 *   bsw.0, bsw.1                 swapgs     (switches a register bank)
 *   fc, fc.i, sync.i             cache
 *   break                        vmx        (the hypercall instruction)
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "previrt/abi.h"
#include "ia64-classify.h"

const char *pv_ia64_unit_name(enum pv_ia64_unit u)
{
	static const char *const names[] = { "m", "i", "b", "f", "x" };

	return (unsigned int)u < sizeof(names) / sizeof(names[0]) ? names[u] : "?";
}

/* Copy text lower-cased without spaces, at most n-1 chars. */
static void squeeze(const char *s, char *w, size_t n)
{
	size_t k = 0;

	for (; *s && k + 1 < n; s++)
		if (!isspace((unsigned char)*s))
			w[k++] = (char)tolower((unsigned char)*s);
	w[k] = '\0';
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "arN" / "crN" (N decimal) as gas reads them: N, or -1 when not that form. */
static int numbered(const char *op, const char *file)
{
	size_t n = strlen(file);
	char *end;
	long v;

	if (strncmp(op, file, n) != 0 || !isdigit((unsigned char)op[n]))
		return -1;
	v = strtol(op + n, &end, 10);
	return *end || v > 127 ? -1 : (int)v;
}

/*
 * Class of a "mov" by the register file named on either side of '=';
 * -1 when a side is "ar%N" (Linux's ia64_getreg/ia64_setreg): which
 * application register it is depends on an operand not substituted.
 */
static int mov_class(const char *dst, const char *src)
{
	int d = numbered(dst, "ar"), s = numbered(src, "ar");

	/* Every control register is privileged, by name or by number. */
	if (numbered(dst, "cr") >= 0 || numbered(src, "cr") >= 0 ||
	    starts(dst, "cr%") || starts(src, "cr%"))
		return PREVIRT_CLASS_CR;
	if (starts(dst, "ar%") || starts(src, "ar%"))
		return -1;
	if ((d >= 0 && d <= 7))
		return PREVIRT_CLASS_CR;	/* ar.k0-7: writable at PL0 only */
	if (d == 44 || s == 44 || d == 45 || s == 45)
		return PREVIRT_CLASS_TSC;	/* ar44 is ar.itc, ar45 ar.ruc */
	/*
	 * ar16 is ar.rsc: a write that asks for an RSE privilege level more
	 * privileged than the CPL quietly gets the CPL instead.
	 */
	if (d == 16 || strcmp(dst, "ar.rsc") == 0)
		return PREVIRT_CLASS_CR;
	if (strcmp(dst, "ar.ruc") == 0 || strcmp(src, "ar.ruc") == 0)
		return PREVIRT_CLASS_TSC;
	if (strcmp(src, "psr") == 0 || strcmp(src, "psr.um") == 0)
		return PREVIRT_CLASS_PUSHF;
	if (strcmp(dst, "psr.l") == 0 || strcmp(dst, "psr.um") == 0)
		return PREVIRT_CLASS_POPF;
	if (starts(dst, "cr.") || starts(src, "cr.") || starts(dst, "cr[") || starts(src, "cr[") ||
	    starts(dst, "rr[") || starts(src, "rr[") || starts(dst, "pkr[") || starts(src, "pkr["))
		return PREVIRT_CLASS_CR;
	/* ar.k0-7 are readable by anyone, writable at PL0 only. */
	if (starts(dst, "ar.k") && dst[4] >= '0' && dst[4] <= '7' && !dst[5])
		return PREVIRT_CLASS_CR;
	if (starts(dst, "ibr[") || starts(src, "ibr[") || starts(dst, "dbr[") || starts(src, "dbr["))
		return PREVIRT_CLASS_DR;
	if (starts(dst, "pmc[") || starts(src, "pmc[") || starts(dst, "pmd[") || starts(src, "pmd["))
		return PREVIRT_CLASS_PMC;
	if (starts(dst, "msr[") || starts(src, "msr["))
		return PREVIRT_CLASS_MSR;
	if (starts(src, "cpuid["))
		return PREVIRT_CLASS_CPUID;
	if (strcmp(dst, "ar.itc") == 0 || strcmp(src, "ar.itc") == 0)
		return PREVIRT_CLASS_TSC;
	return 0;
}

/* Unit of a "break" from its completer; a bare break goes to an M slot. */
static enum pv_ia64_unit break_unit(const char *completer)
{
	switch (completer[0] == '.' ? completer[1] : 'm') {
	case 'i':
		return PV_IA64_UNIT_I;
	case 'b':
		return PV_IA64_UNIT_B;
	case 'f':
		return PV_IA64_UNIT_F;
	case 'x':
		return PV_IA64_UNIT_X;
	default:
		return PV_IA64_UNIT_M;
	}
}

enum pv_ia64_verdict pv_ia64_classify(const char *text, struct pv_ia64_insn *out)
{
	char w[160], mnem[40];
	const char *p, *ops;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->slots = 1;
	while (isspace((unsigned char)*text))
		text++;
	/* Qualifying predicate "(pN)"; (p0) is "always", as with none. */
	if (*text == '(') {
		const char *close = strchr(text, ')');

		if (!close)
			return out->verdict = PV_IA64_PLAIN;
		p = text + 1;
		while (isspace((unsigned char)*p))
			p++;
		if (tolower((unsigned char)*p) == 'p' && isdigit((unsigned char)p[1]))
			out->qp = (int)strtol(p + 1, NULL, 10);
		text = close + 1;
		while (isspace((unsigned char)*text))
			text++;
	}
	if (*text == '%')
		return out->verdict = PV_IA64_OPAQUE;

	n = 0;
	while (text[n] && !isspace((unsigned char)text[n]) && n + 1 < sizeof(mnem)) {
		mnem[n] = (char)tolower((unsigned char)text[n]);
		n++;
	}
	mnem[n] = '\0';
	if (strchr(mnem, '%'))
		return out->verdict = PV_IA64_OPAQUE;
	squeeze(text + n, w, sizeof(w));
	ops = w;

	out->unit = PV_IA64_UNIT_M;
	if (strcmp(mnem, "movl") == 0 || strcmp(mnem, "brl") == 0 || starts(mnem, "brl.") ||
	    strcmp(mnem, "nop.x") == 0)
		out->slots = 2;

	if (strcmp(mnem, "rsm") == 0) {
		out->klass = PREVIRT_CLASS_CLI;
	} else if (strcmp(mnem, "ssm") == 0) {
		out->klass = PREVIRT_CLASS_STI;
	} else if (strcmp(mnem, "mov") == 0 || strcmp(mnem, "mov.m") == 0 ||
		   strcmp(mnem, "mov.i") == 0) {
		char dst[64];
		const char *eq = strchr(ops, '=');

		if (!eq)
			return out->verdict = PV_IA64_PLAIN;
		n = (size_t)(eq - ops) < sizeof(dst) - 1 ? (size_t)(eq - ops) : sizeof(dst) - 1;
		memcpy(dst, ops, n);
		dst[n] = '\0';
		out->klass = mov_class(dst, eq + 1);
		if (out->klass < 0) {
			out->klass = 0;
			return out->verdict = PV_IA64_OPAQUE;
		}
	} else if (strcmp(mnem, "itc.i") == 0 || strcmp(mnem, "itc.d") == 0 ||
		   strcmp(mnem, "itr.i") == 0 || strcmp(mnem, "itr.d") == 0 ||
		   strcmp(mnem, "ptc.l") == 0 || strcmp(mnem, "ptc.g") == 0 ||
		   strcmp(mnem, "ptc.ga") == 0 || strcmp(mnem, "ptc.e") == 0 ||
		   strcmp(mnem, "ptr.i") == 0 || strcmp(mnem, "ptr.d") == 0 ||
		   strcmp(mnem, "thash") == 0 || strcmp(mnem, "ttag") == 0 ||
		   strcmp(mnem, "tpa") == 0 || strcmp(mnem, "tak") == 0) {
		out->klass = PREVIRT_CLASS_TLB;
	} else if (starts(mnem, "probe.")) {
		out->klass = PREVIRT_CLASS_SEG_CHECK;
	} else if (strcmp(mnem, "rfi") == 0) {
		out->klass = PREVIRT_CLASS_KRET;
		out->unit = PV_IA64_UNIT_B;
	} else if (strcmp(mnem, "bsw.0") == 0 || strcmp(mnem, "bsw.1") == 0) {
		out->klass = PREVIRT_CLASS_SWAPGS;
		out->unit = PV_IA64_UNIT_B;
	} else if (strcmp(mnem, "epc") == 0) {
		out->klass = PREVIRT_CLASS_FAR_XFER;	/* a gate into more privilege */
		out->unit = PV_IA64_UNIT_B;
	} else if (strcmp(mnem, "vmsw.0") == 0 || strcmp(mnem, "vmsw.1") == 0) {
		out->klass = PREVIRT_CLASS_VMX;
		out->unit = PV_IA64_UNIT_B;
	} else if (strcmp(mnem, "cover") == 0) {
		out->klass = PREVIRT_CLASS_CR;	/* writes cr.ifs when psr.ic is 0 */
		out->unit = PV_IA64_UNIT_B;
	} else if (strcmp(mnem, "fc") == 0 || strcmp(mnem, "fc.i") == 0 ||
		   strcmp(mnem, "sync.i") == 0) {
		out->klass = PREVIRT_CLASS_CACHE;
	} else if (strcmp(mnem, "break") == 0 || starts(mnem, "break.")) {
		out->klass = PREVIRT_CLASS_VMX;
		out->unit = break_unit(mnem + 5);
		if (out->unit == PV_IA64_UNIT_X)
			out->slots = 2;
	}
	out->verdict = out->klass ? PV_IA64_SENSITIVE : PV_IA64_PLAIN;
	return out->verdict;
}
