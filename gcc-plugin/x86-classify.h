/* SPDX-License-Identifier: MIT */
/*
 * Which x86 instructions are sensitive, decided from AT&T assembler text.
 *
 * One table serves the plugin (which sees inline asm templates before gas
 * does) and previrt-audit (which sees libopcodes' disassembly of a finished
 * binary), so that both agree on what "sensitive" means. Plain C, no GCC
 * internals, so that it is unit-testable.
 */
#ifndef PREVIRT_X86_CLASSIFY_H
#define PREVIRT_X86_CLASSIFY_H

#ifdef __cplusplus
extern "C" {
#endif

/* What pv_x86_classify() found besides the class. */
enum pv_x86_verdict {
	PV_X86_PLAIN = 0,	/* not sensitive */
	PV_X86_SENSITIVE,	/* sensitive: class returned */
	PV_X86_OPAQUE,		/* cannot tell: mnemonic is a placeholder (%0) or odd */
};

struct pv_x86_insn {
	enum pv_x86_verdict verdict;
	int klass;		/* PREVIRT_CLASS_*, 0 when not sensitive */
	int has_mem_operand;	/* an operand is a memory reference */
	int prefix_only;	/* the text is prefixes alone ("rep", "lock") */
};

/*
 * Classify one instruction: optional prefixes ("lock", "rep", "data16",
 * "%fs:" overrides, "ds"...), the mnemonic, and its operands, in AT&T syntax
 * as gas reads it or objdump prints it ("rep outsb %ds:(%rsi),(%dx)",
 * "mov %%cr3, %0", "movl %eax,%ds"). "%%" is read as "%" so that extended
 * asm templates can be passed as they are. Returns the verdict.
 */
enum pv_x86_verdict pv_x86_classify(const char *text, struct pv_x86_insn *out);

/*
 * Classify an instruction given as raw bytes (".byte 0x0f,0x01,0xca").
 * Returns the class, 0 when the bytes are a known harmless instruction
 * (nops), and -1 when they are not recognised: the caller must warn.
 */
int pv_x86_classify_bytes(const unsigned char *b, unsigned int n, int bits);

/*
 * Is this the opcode of a near branch whose rel32 follows as data
 * (".byte 0xe9; .long target - (. + 4)", Linux's static-call trampolines)?
 * Such a pair is harmless: nothing sensitive branches like that.
 */
int pv_x86_branch_opcode(const unsigned char *b, unsigned int n);

/*
 * Forced-emulation prefixes: ud2 followed by a hypervisor's signature
 * (Xen's "ud2; .ascii \"xen\"", KVM's "ud2; .ascii \"kvm\"", also written
 * as .byte values, or all five bytes in one .byte). The instruction after
 * one is not executed by the CPU: the hypervisor emulates it, on purpose,
 * so previrt must leave it alone. Feed the pieces of code one at a time:
 * state is PV_FEP_NONE at first, and the function returns the next state.
 * PV_FEP_DONE means "the next instruction is the hypervisor's".
 */
enum pv_x86_fep { PV_FEP_NONE, PV_FEP_UD2, PV_FEP_DONE };
enum pv_x86_fep pv_x86_fep_step(enum pv_x86_fep state, const unsigned char *b, unsigned int n);

#ifdef __cplusplus
}
#endif
#endif
