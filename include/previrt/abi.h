/* SPDX-License-Identifier: MIT */
/*
 * previrt annotation ABI: the one contract between the GCC plugin that
 * leaves sleds behind, the runtime that rewrites them at boot, and the
 * tools that audit a finished binary.
 *
 * Every sensitive instruction the plugin finds is left in place and
 * followed by padding up to its class's sled budget; one struct
 * previrt_site describing it goes into the section "previrt_sites".
 * The section name is a C identifier on purpose: GNU ld then provides
 * __start_previrt_sites and __stop_previrt_sites, so a guest finds its
 * table with no linker script.
 *
 * The record holds a PC-relative offset rather than an address (as Linux's
 * .altinstructions does), so the table needs no relocation at boot and
 * is position independent.
 *
 * This header is freestanding: it may be included by kernels, by the
 * runtime built without libc, by the plugin (compiled as C++) and by the
 * assembler-side macros below.
 */
#ifndef PREVIRT_ABI_H
#define PREVIRT_ABI_H

#define PREVIRT_ABI_VERSION	1
#define PREVIRT_SECTION		"previrt_sites"
#define PREVIRT_SITE_SIZE	12	/* bytes per record, fixed by version 1 */
#define PREVIRT_SITE_ALIGN	4

/* Which instruction set the sled holds (record field 'arch'). */
#define PREVIRT_ARCH_X86_32	1
#define PREVIRT_ARCH_X86_64	2
#define PREVIRT_ARCH_IA64	3

/* Record flags. */
#define PREVIRT_F_DEVICE	0x01	/* sits in a port/MMIO accessor: route to a device model */
#define PREVIRT_F_RAW_BYTES	0x02	/* instruction was written as .byte values */
#define PREVIRT_F_PREFIXED	0x04	/* instruction carries a prefix written as its own statement */
#define PREVIRT_F_BOUNDARY	0x08	/* the writer vouches: nothing before the sled joins its instruction */
#define PREVIRT_F_PAD_FIRST	0x10	/* padding BEFORE the instruction: see "Sled shapes" below */
#define PREVIRT_F_STI_PAIR	0x20	/* the sled starts "sti; <hlt or mwait>": see below */
#define PREVIRT_F_KNOWN		0x3f	/* every flag this version defines */

/*
 * PREVIRT_F_BOUNDARY: the sled's first byte is the first byte of the
 * instruction, every prefix included, because the writer saw what comes
 * before it (the plugin: an instruction statement, or compiler code).
 * Without it the runtime cannot know (x86 does not decode backwards), and
 * refuses a sled whose previous byte has a prefix's value (libprevirt/
 * site-valid.c): `.byte 0xf3` before `insb` runs as `rep insb`. Hand-
 * written sleds leave it clear unless their author is as sure.
 */

/*
 * Classes: what a backend must provide. One class per group of
 * instructions that a hypervisor maps onto the same interface; the
 * runtime's decoder tells the exact instruction within a class.
 * The numbers are ABI: append, never renumber.
 */
#define PREVIRT_CLASS_INVALID	 0
#define PREVIRT_CLASS_CLI	 1	/* cli */
#define PREVIRT_CLASS_STI	 2	/* sti */
#define PREVIRT_CLASS_PUSHF	 3	/* pushf{,w,l,q}: reads IF and IOPL */
#define PREVIRT_CLASS_POPF	 4	/* popf{,w,l,q}: IF silently kept below CPL 0 */
#define PREVIRT_CLASS_HLT	 5	/* hlt */
#define PREVIRT_CLASS_PIO	 6	/* in, out, ins*, outs* */
#define PREVIRT_CLASS_MMIO	 7	/* memory access inside a device accessor */
#define PREVIRT_CLASS_CR	 8	/* mov to/from %crN, lmsw, smsw, clts */
#define PREVIRT_CLASS_DR	 9	/* mov to/from %drN */
#define PREVIRT_CLASS_DESC_LOAD	10	/* lgdt lidt lldt ltr */
#define PREVIRT_CLASS_DESC_STORE 11	/* sgdt sidt sldt str: leak the host's tables */
#define PREVIRT_CLASS_SEG_READ	12	/* mov/push from a segment register: shows RPL */
#define PREVIRT_CLASS_SEG_WRITE	13	/* mov/pop to a segment register, lds..lss */
#define PREVIRT_CLASS_FAR_XFER	14	/* ljmp lcall lret: load %cs */
#define PREVIRT_CLASS_SEG_CHECK	15	/* lar lsl verr verw: depend on CPL */
#define PREVIRT_CLASS_TLB	16	/* invlpg invpcid invlpga invlpgb tlbsync */
#define PREVIRT_CLASS_CACHE	17	/* invd wbinvd wbnoinvd */
#define PREVIRT_CLASS_MSR	18	/* rdmsr wrmsr */
#define PREVIRT_CLASS_PMC	19	/* rdpmc */
#define PREVIRT_CLASS_TSC	20	/* rdtsc rdtscp: time is the hypervisor's */
#define PREVIRT_CLASS_CPUID	21	/* cpuid: reports host features */
#define PREVIRT_CLASS_KRET	22	/* iret sysret sysexit */
#define PREVIRT_CLASS_SWAPGS	23	/* swapgs */
#define PREVIRT_CLASS_FSGSBASE	24	/* rdfsbase rdgsbase wrfsbase wrgsbase */
#define PREVIRT_CLASS_XCR	25	/* xsetbv */
#define PREVIRT_CLASS_XSAVES	26	/* xsaves xrstors (CPL 0 only) */
#define PREVIRT_CLASS_MWAIT	27	/* monitor mwait */
#define PREVIRT_CLASS_SMAP	28	/* stac clac */
#define PREVIRT_CLASS_VMX	29	/* the host's: VMX SVM SEV TDX SMX SMM SGX, CET supervisor, FRED... */
#define PREVIRT_CLASS_COUNT	30

/*
 * Sled budget, x86 (bytes, instruction included). Every class gets at
 * least 8 bytes: enough for a 5-byte "call rel32" to a stub or to the
 * generic dispatcher, or for an inline 7-byte "movb $imm8, disp32(%rip)"
 * (Xen: set or clear the event mask in vcpu_info). An instruction longer
 * than the budget gets a sled of its own length and no padding.
 * The numbers are per class so that a later version can grow one class
 * without touching the others; the record always carries the real length.
 */
#define PREVIRT_X86_SLED_BUDGET	8

/*
 * IA-64: a sled is whole 16-byte bundles; 'slot' names the slot (0..2) of
 * the sensitive instruction in the first bundle. Reserved here so that the
 * record layout is the same on every architecture.
 */
#define PREVIRT_IA64_BUNDLE	16
/*
 * IA-64 sled written by the plugin: the bundle holding the instruction
 * (its unit's slot, stop at the end), then one bundle "nop.m; nop.i;
 * nop.b". sled_len 32, insn_len 16. An instruction the source already
 * put in an explicit bundle keeps it: sled_len = insn_len = 16. IA-64
 * reuses the classes above by role (rsm: cli, rfi: kret ...; see
 * gcc-plugin/ia64-classify.c).
 */
#define PREVIRT_IA64_SLED_BUNDLES 2

#ifndef __ASSEMBLER__
#ifdef __cplusplus
extern "C" {
#endif

/*
 * One site. Fixed layout, little-endian, 12 bytes, 4-byte aligned:
 *
 *   sled_rel  address of the sled minus the address of this field
 *   version   PREVIRT_ABI_VERSION of the plugin that wrote the record
 *   arch      PREVIRT_ARCH_*
 *   klass     PREVIRT_CLASS_*
 *   flags     PREVIRT_F_*
 *   sled_len  bytes in the sled: instruction plus padding
 *   insn_len  bytes of the original instruction(s): at the start of the
 *             sled, or at its end with PREVIRT_F_PAD_FIRST; with
 *             PREVIRT_F_STI_PAIR they are the sti and the recorded one
 *   slot      IA-64: slot of the instruction; x86: 0
 *   reserved  0
 */
struct previrt_site {
	int sled_rel;
	unsigned char version;
	unsigned char arch;
	unsigned char klass;
	unsigned char flags;
	unsigned char sled_len;
	unsigned char insn_len;
	unsigned char slot;
	unsigned char reserved;
};

#ifndef __cplusplus
_Static_assert(sizeof(struct previrt_site) == PREVIRT_SITE_SIZE,
	       "previrt_site must stay 12 bytes");
#endif

static inline unsigned char *previrt_site_sled(const struct previrt_site *s)
{
	return (unsigned char *)&s->sled_rel + s->sled_rel;
}

/*
 * Sled shapes. The padding must never come between an instruction and the
 * one its effect lands on: sti and mov/pop to %ss keep interrupts (and
 * debug traps) off until the NEXT instruction has run, and a popf that sets
 * TF traps after the next one. Padded after, the NOP would be that next
 * instruction: "sti; hlt" could take its interrupt before the hlt and
 * sleep with its wake-up consumed. So:
 *
 *  plain            instruction, then padding (insn at offset 0);
 *  PREVIRT_F_PAD_FIRST  (sti, popf, mov/pop to %ss) padding, then the
 *                   instruction, which ends the sled: its successor
 *                   follows it directly, whatever code that is;
 *  PREVIRT_F_STI_PAIR   (class hlt or mwait) "sti" (fb) directly followed
 *                   by the recorded instruction, then padding: one site,
 *                   so that a backend can make the pair one atomic
 *                   operation (Xen: block with events enabled).
 *
 * These give where the recorded instruction and the padding are.
 */
static inline unsigned int previrt_site_insn_offset(const struct previrt_site *s)
{
	if (s->flags & PREVIRT_F_PAD_FIRST)
		return (unsigned int)(s->sled_len - s->insn_len);
	return (s->flags & PREVIRT_F_STI_PAIR) ? 1u : 0u;
}

/* Bytes of the recorded instruction itself (the sti of a pair left out). */
static inline unsigned int previrt_site_insn_bytes(const struct previrt_site *s)
{
	return (unsigned int)s->insn_len - ((s->flags & PREVIRT_F_STI_PAIR) ? 1u : 0u);
}

/* Offset of the padding in the sled; it is sled_len - insn_len bytes long. */
static inline unsigned int previrt_site_pad_offset(const struct previrt_site *s)
{
	return (s->flags & PREVIRT_F_PAD_FIRST) ? 0u : s->insn_len;
}

/* Short lower-case name of a class, "?" for an unknown number. */
static inline const char *previrt_class_name(unsigned int c)
{
	static const char *const names[PREVIRT_CLASS_COUNT] = {
		"invalid", "cli", "sti", "pushf", "popf", "hlt", "pio", "mmio",
		"cr", "dr", "desc_load", "desc_store", "seg_read", "seg_write",
		"far_xfer", "seg_check", "tlb", "cache", "msr", "pmc", "tsc",
		"cpuid", "kret", "swapgs", "fsgsbase", "xcr", "xsaves", "mwait",
		"smap", "vmx",
	};
	return c < PREVIRT_CLASS_COUNT ? names[c] : "?";
}

/* Table bounds GNU ld provides for a section named by a C identifier. */
extern const struct previrt_site __start_previrt_sites[] __attribute__((weak));
extern const struct previrt_site __stop_previrt_sites[] __attribute__((weak));

#ifdef __cplusplus
}
#endif
#endif /* !__ASSEMBLER__ */

/*
 * Padding. The bytes after the instruction are exactly these canonical
 * long NOPs, one per sled, chosen by the padding length (the same for 32-
 * and 64-bit code; for a budget above 8 they are concatenated, 7-byte NOPs
 * first). A validator compares against them byte for byte. Two cases are
 * a run of one-byte NOPs (90 90 ...) instead: the padding of a
 * PREVIRT_F_PAD_FIRST sled (gas cannot pick an .if branch by the length of
 * an instruction it has not reached yet; ".skip" can), and every padding
 * for a CPU without the 0f 1f NOPs (-march=i486, i586/pentium, pentium-mmx,
 * k6, winchip, c3, geode, lakemont), where those raise #UD.
 *
 *   1  90                        5  0f 1f 44 00 00
 *   2  66 90                     6  66 0f 1f 44 00 00
 *   3  0f 1f 00                  7  0f 1f 80 00 00 00 00
 *   4  0f 1f 40 00
 */
#define PREVIRT_X86_NOP_MAX	7

/*
 * What the plugin emits for one site (shown for the reader and for
 * hand-written assembly that wants to be patchable too); the .if chain
 * picks the padding above for the instruction's length. The plugin leaves
 * a template that writes its own previrt_sites records alone (no second
 * record), and refuses, with a warning, one that uses the labels 8841,
 * 8842 or 8843 otherwise (a jump to them would land in a sled):
 *
 *	8841:	cli
 *	8842:	.if (8842b - 8841b) < 8
 *		.if (8842b - 8841b) == 7
 *		.byte 0x90
 *		...
 *		.elseif (8842b - 8841b) == 1
 *		.byte 0x0f,0x1f,0x80,0x00,0x00,0x00,0x00
 *		.endif
 *		.endif
 *	8843:
 *		.pushsection previrt_sites, "ao", @progbits, <function>
 *		.balign 4
 *		.long 8841b - .
 *		.byte 1, 2, 1, 8, 8843b - 8841b, 8842b - 8841b, 0, 0
 *		.popsection
 *
 * (flags 8: PREVIRT_F_BOUNDARY, when the statement before the cli wrote no
 * bytes previrt did not parse; without it, the runtime refuses the sled if
 * the byte before it has a prefix's value.)
 *
 * The record's section is linked (SHF_LINK_ORDER) to the code's: to the
 * function's symbol ("aoG", @progbits, <function>, <group>, comdat when it
 * is in a COMDAT group), or in top-level asm to a label at the sled
 * (.Lprevirt_site_N), so that the linker drops records with their code.
 * Hand-written sleds should do the same ("a" still works, but "ld -r"
 * refuses to merge ordered and unordered previrt_sites sections).
 *
 * And for a PREVIRT_F_PAD_FIRST site (flags 0x10; insn_len 8843b - 8842b):
 *
 *	8841:	.skip -((8843f - 8842f) < 8) * (8 - (8843f - 8842f)), 0x90
 *	8842:	sti
 *	8843:	(the record as above)
 */
#endif /* PREVIRT_ABI_H */
