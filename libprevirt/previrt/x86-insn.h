/* SPDX-License-Identifier: MIT */
/*
 * A decoded x86 instruction, for the sensitive subset only.
 *
 * The runtime never needs a general disassembler: it decodes exactly the
 * instructions the plugin may record (every class of abi.h), the moves
 * that device accessors are made of (class MMIO), and the NOPs that pad a
 * sled.  Anything else is reported as unknown, which the patcher treats as
 * "this sled is not what the record says" and refuses.
 *
 * What a handler gets is enough to emulate the instruction without looking
 * at the bytes again: the exact operation, operand and address sizes, the
 * register operands (REX applied), the memory operand split into base,
 * index, scale, displacement and segment, and the immediate.
 *
 * Freestanding: no libc, usable in the kernel archive.
 */
#ifndef PREVIRT_X86_INSN_H
#define PREVIRT_X86_INSN_H

#include <stddef.h>
#include <stdint.h>

/* Exact operations.  PV_OP_NONE is "decoded, but not something we know". */
enum pv_x86_op {
	PV_OP_NONE = 0,
	PV_OP_NOP,		/* 90, 0f 1f /0, and i386 lea/mov idioms */
	PV_OP_CLI, PV_OP_STI, PV_OP_HLT,
	PV_OP_PUSHF, PV_OP_POPF,
	PV_OP_IN, PV_OP_OUT,	/* port in imm (has_imm) or in %dx */
	PV_OP_INS, PV_OP_OUTS,
	PV_OP_MOV_LOAD,		/* register <- memory (incl. movzx/movsx) */
	PV_OP_MOV_STORE,	/* memory <- register or immediate */
	PV_OP_MOV_FROM_CR, PV_OP_MOV_TO_CR, PV_OP_LMSW, PV_OP_SMSW, PV_OP_CLTS,
	PV_OP_MOV_FROM_DR, PV_OP_MOV_TO_DR,
	PV_OP_LGDT, PV_OP_LIDT, PV_OP_LLDT, PV_OP_LTR,
	PV_OP_SGDT, PV_OP_SIDT, PV_OP_SLDT, PV_OP_STR,
	PV_OP_MOV_FROM_SEG, PV_OP_PUSH_SEG,
	PV_OP_MOV_TO_SEG, PV_OP_POP_SEG, PV_OP_LOAD_FAR_PTR, /* lds les lfs lgs lss */
	PV_OP_LJMP, PV_OP_LCALL, PV_OP_LRET,
	PV_OP_LAR, PV_OP_LSL, PV_OP_VERR, PV_OP_VERW,
	PV_OP_INVLPG, PV_OP_INVPCID, PV_OP_INVLPGA, PV_OP_INVLPGB, PV_OP_TLBSYNC,
	PV_OP_INVD, PV_OP_WBINVD, PV_OP_WBNOINVD,
	PV_OP_RDMSR, PV_OP_WRMSR, PV_OP_RDPMC,
	PV_OP_RDTSC, PV_OP_RDTSCP, PV_OP_CPUID,
	PV_OP_IRET, PV_OP_SYSRET, PV_OP_SYSEXIT,
	PV_OP_SWAPGS,
	PV_OP_RDFSBASE, PV_OP_RDGSBASE, PV_OP_WRFSBASE, PV_OP_WRGSBASE,
	PV_OP_XSETBV, PV_OP_XSAVES, PV_OP_XRSTORS,
	PV_OP_MONITOR, PV_OP_MWAIT,
	PV_OP_CLAC, PV_OP_STAC,
	PV_OP_VMX,		/* any host-only instruction (VMX SVM SEV TDX SMX SGX CET-supervisor...): opcode fields tell which */
	PV_OP_WRMSRNS, PV_OP_RDMSRLIST, PV_OP_WRMSRLIST,
	PV_OP_COUNT
};

/* Segment registers, in the encoding order of the sreg field. */
enum pv_x86_seg { PV_SEG_ES, PV_SEG_CS, PV_SEG_SS, PV_SEG_DS, PV_SEG_FS,
		  PV_SEG_GS, PV_SEG_NONE = 7 };

/* Register numbers are the hardware's: 0 = ax ... 15 = r15. */
#define PV_REG_NONE	0xff
#define PV_REG_RIP	0xfe	/* base of a rip-relative operand */

/* Legacy prefixes seen (pv_x86_insn.prefixes). */
#define PV_PFX_LOCK	0x01
#define PV_PFX_REP	0x02	/* f3 */
#define PV_PFX_REPNE	0x04	/* f2 */
#define PV_PFX_OPSIZE	0x08	/* 66 */
#define PV_PFX_ADSIZE	0x10	/* 67 */

struct pv_x86_mem {
	uint8_t base;		/* register, PV_REG_RIP or PV_REG_NONE */
	uint8_t index;		/* register or PV_REG_NONE */
	uint8_t scale;		/* 1, 2, 4 or 8 */
	uint8_t seg;		/* enum pv_x86_seg actually used (override or default) */
	int64_t disp;		/* sign-extended displacement */
};

struct pv_x86_insn {
	uint8_t len;		/* bytes, prefixes included */
	uint8_t bits;		/* code size it was decoded for: 32 or 64 */
	uint8_t klass;		/* PREVIRT_CLASS_*; 0: not sensitive by itself */
	uint8_t op;		/* enum pv_x86_op */
	uint8_t opsize;		/* operand size in bytes: 1, 2, 4 or 8 */
	uint8_t adsize;		/* address size in bytes: 2, 4 or 8 */
	uint8_t prefixes;	/* PV_PFX_* */
	uint8_t seg_override;	/* enum pv_x86_seg, PV_SEG_NONE if none */
	uint8_t rex;		/* REX byte, 0 if none */
	uint8_t map;		/* 0: one byte, 1: 0f, 2: 0f 38, 3: 0f 3a */
	uint8_t opcode;		/* last opcode byte */
	uint8_t has_modrm;
	uint8_t mod, reg_field, rm_field;	/* raw, without REX */
	uint8_t reg;		/* register operand (reg field, REX.R), cr/dr/sreg number */
	uint8_t rm_reg;		/* r/m as a register when mod == 3, else PV_REG_NONE */
	uint8_t has_mem;	/* the instruction has a memory operand */
	uint8_t has_imm;
	uint8_t imm_len;
	uint8_t sreg;		/* segment register an op names (push/pop/mov seg, lds...) */
	uint8_t memsize;	/* bytes the memory operand covers (MMIO moves) */
	uint8_t extend;		/* movzx: 1, movsx: 2, else 0 */
	struct pv_x86_mem mem;
	int64_t imm;		/* sign-extended except port numbers and imm16 (zero-extended) */
	int64_t imm2;		/* second immediate: selector of a direct ljmp/lcall */
};

/* Decoder results (negative) */
#define PV_DEC_TRUNCATED	(-1)	/* ran past the bytes given */
#define PV_DEC_UNKNOWN		(-2)	/* not an instruction of the subset */
#define PV_DEC_INVALID		(-3)	/* malformed: bad operand form, too long, lock misuse */
#define PV_DEC_MODE		(-4)	/* not encodable in this code size */

/*
 * Decode one instruction of at most 'avail' bytes (never reads further),
 * for 32- or 64-bit code.  Returns its length (1..15) and fills *out, or
 * a PV_DEC_* error.
 */
int pv_x86_decode(const uint8_t *p, size_t avail, int bits, struct pv_x86_insn *out);

/* Short text for a PV_DEC_* value, and a mnemonic for an op ("?" if none). */
const char *pv_x86_strerror(int err);
const char *pv_x86_op_name(unsigned int op);

/*
 * Padding.  pv_x86_is_padding() says whether bytes p[0..n) are a run of
 * whole NOP instructions for this code size (what gas's .nops emits, or
 * what pv_x86_fill_nops() writes); n == 0 is an empty run.
 * pv_x86_fill_nops() writes the fewest, longest canonical NOPs (0f 1f
 * forms with 66/2e prefixes up to 11 bytes) into p[0..n).
 */
int pv_x86_is_padding(const uint8_t *p, size_t n, int bits);
void pv_x86_fill_nops(uint8_t *p, size_t n);

#endif /* PREVIRT_X86_INSN_H */
