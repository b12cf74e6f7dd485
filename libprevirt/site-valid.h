/* SPDX-License-Identifier: MIT */
/*
 * The one definition of a valid x86 site, shared by the runtime
 * (site-check.c, which adds what only memory at boot can tell: the text
 * bounds and the other records of the table) and by previrt-audit
 * (tools/sites.c, which finds the same bytes in a file).  Both call these
 * functions, so they cannot disagree about a record or a sled again.
 *
 * Pure functions of the record and of bytes handed in: no environment,
 * no libc, no memory access beyond the bytes given.  Freestanding: the
 * kernel archive compiles this file; the tools compile it hosted.
 */
#ifndef PREVIRT_SITE_VALID_H
#define PREVIRT_SITE_VALID_H

#include <stddef.h>
#include <stdint.h>
#include <previrt/abi.h>
#include <previrt/x86-insn.h>

/* Why a record or its sled is not acceptable. */
enum pv_site_fault {
	PV_SITE_OK = 0,
	PV_SITE_VERSION,	/* record version is not ours */
	PV_SITE_ARCH,		/* arch field unknown or not patchable here */
	PV_SITE_CLASS,		/* class number unknown */
	PV_SITE_FLAGS,		/* unknown flag bits */
	PV_SITE_RESERVED,	/* slot/reserved not zero */
	PV_SITE_LENGTH,		/* insn_len/sled_len inconsistent with the budget */
	PV_SITE_RANGE,		/* sled outside [text_lo, text_hi) or wraps */
	PV_SITE_OVERLAP,	/* sled overlaps another site's */
	PV_SITE_DECODE,		/* bytes do not decode */
	PV_SITE_INSN_LEN,	/* decoded length is not insn_len */
	PV_SITE_INSN_CLASS,	/* decoded instruction is not of the record's class */
	PV_SITE_PADDING,	/* padding is not NOPs */
	PV_SITE_PREFIX_APART,	/* the byte before the sled could be a prefix of its instruction */
	PV_SITE_SHAPE,		/* PAD_FIRST / STI_PAIR on a class they do not belong to */
	PV_SITE_FAULT_COUNT
};
const char *pv_site_fault_text(enum pv_site_fault f);

/* "There is no byte before the sled in the code": the sled starts its text. */
#define PV_SITE_NO_BYTE	(-1)

/*
 * The record's own fields.  code_arch is the PREVIRT_ARCH_* of the code
 * that will run the sled: the runtime's own width, or the file's for the
 * audit.  64-bit records in 32-bit code are refused; 32-bit records in
 * 64-bit code are accepted (.code32 regions, compat code) and read as
 * 32-bit code.
 */
enum pv_site_fault pv_site_check_fields(const struct previrt_site *s, unsigned int code_arch);

/*
 * The sled's bytes: sled points at its s->sled_len bytes, before is the
 * byte just before them (or PV_SITE_NO_BYTE).  The sled must hold one
 * instruction of insn_len bytes and of the recorded class (decoded into
 * *insn; *dec_err gets the decoder's error when it fails), then NOPs.
 * Call only for a record that passed pv_site_check_fields().
 */
enum pv_site_fault pv_site_check_bytes(const struct previrt_site *s, const uint8_t *sled,
				       int before, struct pv_x86_insn *insn, int *dec_err);

#endif
