/* SPDX-License-Identifier: MIT */
/*
 * The IA-64 half of libprevirt: bundles, sleds and patching.
 *
 * An IA-64 instruction is a 41-bit slot of a 16-byte bundle whose 5-bit
 * template fixes the unit of each slot and where the stops are, so
 * everything here works on whole bundles: decode, check what the plugin
 * left (include/previrt/abi.h, PREVIRT_IA64_SLED_BUNDLES), and rewrite.
 *
 * Freestanding C11: no libc, so that an IA-64 kernel can link it as it is;
 * the host tests run the same code on x86 over images built by the IA-64
 * binutils. The address a sled runs at is passed apart from the pointer
 * the bytes are written through, so an image can be patched at its link
 * address without being loaded there.
 */
#ifndef PREVIRT_IA64_H
#define PREVIRT_IA64_H

#include <stdint.h>

#include "previrt/abi.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PV_IA64_SLOT_MASK	((UINT64_C(1) << 41) - 1)
#define PV_IA64_NOP_MIF		UINT64_C(0x00008000000)	/* nop.m/nop.i/nop.f 0 */
#define PV_IA64_NOP_B		UINT64_C(0x04000000000)	/* nop.b 0 */

/* Templates the test backend and the plugin rely on (stop bit = end stop). */
#define PV_IA64_T_MII		0x00
#define PV_IA64_T_MLX		0x04
#define PV_IA64_T_MIB		0x10

struct pv_ia64_bundle {
	unsigned int tmpl;	/* 5 bits: units of the slots and stops */
	uint64_t slot[3];	/* 41 bits each */
};

void pv_ia64_bundle_decode(const unsigned char b[PREVIRT_IA64_BUNDLE], struct pv_ia64_bundle *out);
void pv_ia64_bundle_encode(const struct pv_ia64_bundle *in, unsigned char b[PREVIRT_IA64_BUNDLE]);

/*
 * Units of a template's slots as letters 'M' 'I' 'F' 'B', and 'L' 'X' for
 * the two halves of a long instruction. Returns 0, or -1 for the reserved
 * templates (then units is untouched).
 */
int pv_ia64_template_units(unsigned int tmpl, char units[3]);

/* Stops of a template: bit i set when a stop follows slot i. */
unsigned int pv_ia64_template_stops(unsigned int tmpl);

/* Is this slot the nop of its unit ('M', 'I', 'F', 'B'), whatever its immediate? */
int pv_ia64_is_nop(uint64_t slot, char unit);

/* The nop of a unit carrying a 21-bit immediate (nop.m 0x1234). */
uint64_t pv_ia64_nop(char unit, uint32_t imm21);

/* Qualifying predicate of a non-long slot (bits 0-5). */
static inline unsigned int pv_ia64_qp(uint64_t slot)
{
	return (unsigned int)(slot & 0x3f);
}

/*
 * "(qp) brl.call.sptk.many b<breg> = IP + disp" as the L and X slots of an
 * MLX bundle; disp is a byte distance from the bundle, a multiple of 16.
 */
void pv_ia64_brl_call(unsigned int qp, unsigned int breg, int64_t disp,
		      uint64_t *l_slot, uint64_t *x_slot);

/* Why a sled was refused; PV_IA64_SLED_OK when it is what the plugin writes. */
enum pv_ia64_sled_verdict {
	PV_IA64_SLED_OK = 0,
	PV_IA64_SLED_ARCH,	/* record is not arch IA-64 */
	PV_IA64_SLED_SHAPE,	/* lengths, slot or alignment not a plugin sled */
	PV_IA64_SLED_TEMPLATE,	/* reserved template, or a long insn where the site is */
	PV_IA64_SLED_UNIT,	/* the site's slot is of a unit the class never uses */
	PV_IA64_SLED_NOP,	/* a nop where the instruction should be */
	PV_IA64_SLED_PADDING,	/* other slots or the pad bundle are not the plugin's nops */
};

const char *pv_ia64_sled_verdict_name(enum pv_ia64_sled_verdict v);

/* Check the sled of record s whose bytes are at sled and which runs at sled_addr. */
enum pv_ia64_sled_verdict pv_ia64_check_sled(const struct previrt_site *s,
					     const unsigned char *sled, uint64_t sled_addr);

/*
 * Patching. The native backend leaves the sled as it is: the instruction
 * runs on the bare machine. The test backend replaces the site's bundle by
 *
 *	{ .mlx	nop.m <tag> ; (qp) brl.call.sptk.many b7 = handler ;; }
 *
 * keeping the qualifying predicate of the original instruction: the
 * handler runs exactly when the instruction would have, finds its site
 * from b7 (the pad bundle after it, sled + 16) or from the tag (nop.m's
 * immediate, 21 bits), emulates, and returns with "br.ret b7" (which
 * restores the frame from ar.pfs). The call overwrites b7 and ar.pfs; the
 * plugin declares both clobbered by every asm holding a site, so gcc keeps
 * nothing in b7 there and saves ar.pfs even in leaf functions. The pad
 * bundle stays nops. Every write ends with the I-cache flush of the written range
 * (fc; sync.i; srlz.i on IA-64): an IA-64 processor is not required to see
 * its own stores in the instruction stream.
 */
enum pv_ia64_backend { PV_IA64_NATIVE, PV_IA64_TEST };

struct pv_ia64_patcher {
	enum pv_ia64_backend backend;
	uint64_t handler;	/* test backend: entry of the handler, 16-aligned */
	/* Make [addr, addr + len) visible to instruction fetch; required. */
	void (*flush_icache)(void *ctx, uint64_t addr, unsigned long len);
	void *ctx;
};

/*
 * Patch one site: check its sled, then fill it for the backend. sled is
 * where the bytes are written, sled_addr where they run; tag identifies the
 * site to the handler (taken modulo 2^21); saved, when not NULL, receives the
 * original bundle. Returns 0 when patched (or kept, for native), else the
 * refusal (a pv_ia64_sled_verdict, or PV_IA64_SLED_SHAPE for a sled too
 * short to hold the replacement, such as one in an explicit bundle).
 */
int pv_ia64_patch_site(const struct pv_ia64_patcher *p, const struct previrt_site *s,
		       unsigned char *sled, uint64_t sled_addr, uint32_t tag,
		       unsigned char saved[PREVIRT_IA64_BUNDLE]);

#ifdef __ia64__
/* fc over the range, then sync.i; srlz.i (ia64-flush.S). */
void pv_ia64_flush_icache_native(void *ctx, uint64_t addr, unsigned long len);
#endif

#ifdef __cplusplus
}
#endif
#endif
