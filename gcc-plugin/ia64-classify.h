/* SPDX-License-Identifier: MIT */
/*
 * Which IA-64 instructions are sensitive, decided from assembler text.
 *
 * The IA-64 twin of x86-classify.h. IA-64 gets no classes of its own: each
 * instruction maps onto the class of abi.h whose backend interface fits it
 * (rsm is the "cli" of this machine, rfi its "iret"), and the runtime's
 * IA-64 decoder tells the exact instruction from the 41-bit slot. The
 * mapping is in ia64-classify.c and doc/ia64.md.
 */
#ifndef PREVIRT_IA64_CLASSIFY_H
#define PREVIRT_IA64_CLASSIFY_H

#ifdef __cplusplus
extern "C" {
#endif

/* Execution unit a slot must be of to hold the instruction. */
enum pv_ia64_unit {
	PV_IA64_UNIT_M,		/* memory unit (all system instructions) */
	PV_IA64_UNIT_I,		/* integer unit */
	PV_IA64_UNIT_B,		/* branch unit: rfi, bsw, cover, break.b */
	PV_IA64_UNIT_F,		/* floating-point unit: break.f */
	PV_IA64_UNIT_X,		/* long immediate: the L+X slot pair of an MLX bundle */
};

enum pv_ia64_verdict {
	PV_IA64_PLAIN = 0,	/* not sensitive */
	PV_IA64_SENSITIVE,	/* sensitive: klass and unit are set */
	PV_IA64_OPAQUE,		/* cannot tell: the mnemonic is an operand ("%0"), or
				 * the register is ("mov r8=ar%1") */
};

struct pv_ia64_insn {
	enum pv_ia64_verdict verdict;
	int klass;		/* PREVIRT_CLASS_*, 0 when not sensitive */
	enum pv_ia64_unit unit;	/* meaningful when sensitive */
	int qp;			/* qualifying predicate register, 0 when none */
	int slots;		/* slots the instruction takes: 2 for movl, brl, break.x; else 1 */
};

/*
 * Classify one IA-64 instruction as gas reads it: an optional qualifying
 * predicate "(p6)", the mnemonic with its completers ("ptc.ga",
 * "mov.m"), then the operands ("r8=cr.ifa", "psr.l=%0"). Case and spaces do
 * not matter. Stops (";;") are not part of an instruction.
 */
enum pv_ia64_verdict pv_ia64_classify(const char *text, struct pv_ia64_insn *out);

/* Lower-case name of a unit: "m", "i", "b", "f", "x". */
const char *pv_ia64_unit_name(enum pv_ia64_unit u);

#ifdef __cplusplus
}
#endif
#endif
