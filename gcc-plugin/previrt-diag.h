/* SPDX-License-Identifier: MIT */
/*
 * The plugin's diagnostics (previrt-diag.cc): notes about code left alone,
 * grouped per kind and unit; errors for refusals and under werror; the
 * per-diagnostic lines of the report. C++, for the GCC glue only.
 */
#ifndef PREVIRT_DIAG_H
#define PREVIRT_DIAG_H

#include <stdio.h>

struct pv_result;

void pv_diag_set_werror(bool on);	/* groups become errors */
void pv_diag_keep_lines(bool on);	/* keep every diagnostic for the report */

/* The diagnostics of one rewritten asm; loc is UNKNOWN_LOCATION at top level. */
void pv_diag_asm(location_t loc, const struct pv_result *res, bool multiline);

/* End of the unit: one note (or error) per kind, in the order they began. */
void pv_diag_flush(void);

/* Write the kept lines to f, one per diagnostic, and forget them. */
void pv_diag_write_report(FILE *f);

#endif
