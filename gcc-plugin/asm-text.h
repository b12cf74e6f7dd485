/* SPDX-License-Identifier: MIT */
/*
 * Reading gas statement text that every target's rewriter needs the same
 * way: the labels before a statement and the operands of a section switch.
 */
#ifndef PREVIRT_ASM_TEXT_H
#define PREVIRT_ASM_TEXT_H

#include <stddef.h>

/*
 * Skip the labels at the start of the statement t[a..b) ("1:", ".Lfoo:",
 * "x%=:", quoted "a b;c":); 'extra' names characters a target allows in labels besides
 * letters, digits, '_', '.' and '$'. Returns the offset of what follows them.
 */
size_t pv_asm_skip_labels(const char *t, size_t a, size_t b, const char *extra);

/* NAME of ".section NAME, ..." or ".pushsection NAME" (quotes removed). */
void pv_asm_section_name(const char *ops, char *name, size_t n);

/* The flags string of ".section NAME, "flags"", or "" when there is none. */
void pv_asm_section_flags(const char *ops, char *flags, size_t n);

/*
 * The closing quote of the string that opens at t[pos] ('\"' escapes one),
 * or the last offset before len when it is not closed.
 */
size_t pv_asm_string_end(const char *t, size_t pos, size_t len);

#endif
