/* SPDX-License-Identifier: MIT */
/*
 * Rewriting one IA-64 asm template: the IA-64 counterpart of pv_rewrite()
 * (asm-rewrite.h), with the same unit, options and result types, so that
 * the GCC glue picks one or the other by target and nothing else changes.
 *
 * A sensitive instruction written outside an explicit bundle is moved into
 * a bundle of its own whose template puts it in a slot of its unit, with a
 * stop at the end of that bundle, followed by one bundle of nops
 * (PREVIRT_IA64_SLED_BUNDLES in all): the sled. One written inside an
 * explicit bundle "{ .mii ... }" is left where it is: its record names
 * that bundle and the slot it sits in, and the sled is that one bundle.
 */
#ifndef PREVIRT_IA64_REWRITE_H
#define PREVIRT_IA64_REWRITE_H

#include "asm-rewrite.h"

#ifdef __cplusplus
extern "C" {
#endif

int pv_ia64_rewrite(struct pv_unit *u, const char *tmpl, enum pv_template_kind kind,
		    int device, struct pv_result *res);

/*
 * Operands of an extended asm whose values are constants ("i"), so that
 * "mov %0=ar%1" with operand 1 = 44 is read as "mov %0=ar44" (ar.itc), as
 * Linux's ia64_getreg() writes it. Only the classification sees the values;
 * the template keeps its "%1".
 */
#define PV_IA64_MAX_OPERANDS 30
struct pv_ia64_operands {
	int n;
	unsigned char known[PV_IA64_MAX_OPERANDS];
	long long value[PV_IA64_MAX_OPERANDS];
};

/* pv_ia64_rewrite() with the asm's constant operands (ops may be NULL). */
int pv_ia64_rewrite_operands(struct pv_unit *u, const char *tmpl, enum pv_template_kind kind,
			     int device, const struct pv_ia64_operands *ops,
			     struct pv_result *res);

#ifdef __cplusplus
}
#endif
#endif
