// SPDX-License-Identifier: MIT
/*
 * Decoder tests, table-driven, with the assembler as the oracle: every
 * case below is assembled by gas from its AT&T text (in 64-bit or 32-bit
 * mode), so the bytes are real encodings and the expected length is what
 * gas produced, not what this file believes.  The decoder must find the
 * same length, the exact operation, the class of abi.h and the operand
 * size.  Field-level checks (registers, memory operand, immediates) and
 * malformed input follow with hand-written bytes.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <previrt/abi.h>
#include <previrt/x86-insn.h>

struct dcase {
	const char *text;
	const unsigned char *start, *end;
	int bits;
	int op;
	int klass;
	int opsize;	/* 0: not checked */
};

/* Assemble 'text' into .rodata between two labels, in the given mode. */
#define ASM64(id, text) \
	__asm__(".pushsection .rodata\n" #id "_s:\n\t" text "\n" #id "_e:\n.popsection\n"); \
	extern const unsigned char id##_s[], id##_e[];
#define ASM32(id, text) \
	__asm__(".pushsection .rodata\n.code32\n" #id "_s:\n\t" text "\n" #id "_e:\n.code64\n.popsection\n"); \
	extern const unsigned char id##_s[], id##_e[];
#define C(id, bits, text, op, klass, size) { text, id##_s, id##_e, bits, op, klass, size }

ASM64(c_cli, "cli")
ASM64(c_sti, "sti")
ASM64(c_hlt, "hlt")
ASM64(c_pushfq, "pushfq")
ASM64(c_popfq, "popfq")
ASM64(c_pushfw, "pushfw")
ASM64(c_popfw, "popfw")
ASM64(c_inb_imm, "inb $0x60,%al")
ASM64(c_inl_imm, "inl $0x71,%eax")
ASM64(c_outb_imm, "outb %al,$0x80")
ASM64(c_outw_imm, "outw %ax,$0x80")
ASM64(c_inb_dx, "inb (%dx),%al")
ASM64(c_inw_dx, "inw (%dx),%ax")
ASM64(c_outl_dx, "outl %eax,(%dx)")
ASM64(c_rep_outsb, "rep outsb %ds:(%rsi),(%dx)")
ASM64(c_insw, "insw (%dx),%es:(%rdi)")
ASM64(c_mmio_ld, "movl (%rdi),%eax")
ASM64(c_mmio_st, "movb %al,(%rdi)")
ASM64(c_mmio_st64, "movq %rax,0x10(%rbx,%rcx,4)")
ASM64(c_mmio_imm, "movl $0x12345678,0x8(%rsi)")
ASM64(c_mmio_zx, "movzbl (%rdi),%eax")
ASM64(c_mmio_sx, "movswl 2(%rdi),%eax")
ASM64(c_mmio_fs, "movw %ax,%fs:(%rdx)")
ASM64(c_mmio_moffs, "movabs 0x1122334455667788,%al")
ASM64(c_rdcr3, "mov %cr3,%rax")
ASM64(c_wrcr3, "mov %rdi,%cr3")
ASM64(c_rdcr0_r8, "mov %cr0,%r8")
ASM64(c_wrcr8, "mov %r9,%cr8")
ASM64(c_lock_cr8, ".byte 0xf0,0x0f,0x20,0xc0")
ASM64(c_lmsw, "lmsw %ax")
ASM64(c_smsw_r, "smsw %eax")
ASM64(c_smsw_m, "smsw (%rax)")
ASM64(c_clts, "clts")
ASM64(c_rddr7, "mov %dr7,%rax")
ASM64(c_wrdr0, "mov %rax,%dr0")
ASM64(c_lgdt, "lgdt (%rdi)")
ASM64(c_lidt_rip, "lidt 0x10(%rip)")
ASM64(c_lldt, "lldt %ax")
ASM64(c_ltr, "ltr %di")
ASM64(c_sgdt, "sgdt (%rsp)")
ASM64(c_sidt, "sidt -8(%rbp)")
ASM64(c_sldt, "sldt %eax")
ASM64(c_str, "str %ax")
ASM64(c_mov_cs, "mov %cs,%eax")
ASM64(c_mov_ss_m, "mov %ss,(%rdi)")
ASM64(c_push_fs, "push %fs")
ASM64(c_pushw_gs, "pushw %gs")
ASM64(c_mov_ds, "mov %eax,%ds")
ASM64(c_mov_es_m, "mov (%rax),%es")
ASM64(c_pop_fs, "pop %fs")
ASM64(c_lss, "lss (%rax),%esp")
ASM64(c_lfs, "lfs (%rbx),%eax")
ASM64(c_ljmp_m, "ljmp *(%rax)")
ASM64(c_lcall_m, "lcall *8(%rbx)")
ASM64(c_lret, "lretl")
ASM64(c_lretq, "lretq")
ASM64(c_lret_imm, "lretl $8")
ASM64(c_lar, "lar %ax,%eax")
ASM64(c_lsl, "lsl %rdi,%rdx")
ASM64(c_verr, "verr %ax")
ASM64(c_verw, "verw (%rdi)")
ASM64(c_invlpg, "invlpg (%rax)")
ASM64(c_invpcid, "invpcid (%rdi),%rax")
ASM64(c_invlpga, "invlpga")
ASM64(c_invlpgb, ".byte 0x0f,0x01,0xfe")
ASM64(c_tlbsync, ".byte 0x0f,0x01,0xff")
ASM64(c_invd, "invd")
ASM64(c_wbinvd, "wbinvd")
ASM64(c_wbnoinvd, "wbnoinvd")
ASM64(c_rdmsr, "rdmsr")
ASM64(c_wrmsr, "wrmsr")
ASM64(c_rdpmc, "rdpmc")
ASM64(c_rdtsc, "rdtsc")
ASM64(c_rdtscp, "rdtscp")
ASM64(c_cpuid, "cpuid")
ASM64(c_iretq, "iretq")
ASM64(c_iretl, "iretl")
ASM64(c_sysretq, "sysretq")
ASM64(c_sysexitl, "sysexitl")
ASM64(c_swapgs, "swapgs")
ASM64(c_rdfsbase, "rdfsbase %rax")
ASM64(c_rdgsbase, "rdgsbase %eax")
ASM64(c_wrfsbase, "wrfsbase %rdi")
ASM64(c_wrgsbase, "wrgsbase %rsi")
ASM64(c_xsetbv, "xsetbv")
ASM64(c_xsaves, "xsaves (%rdi)")
ASM64(c_xrstors64, "xrstors64 (%rdi)")
ASM64(c_monitor, "monitor %rax,%ecx,%edx")
ASM64(c_mwait, "mwait %eax,%ecx")
ASM64(c_clac, "clac")
ASM64(c_stac, "stac")
ASM64(c_vmcall, "vmcall")
ASM64(c_vmlaunch, "vmlaunch")
ASM64(c_vmxoff, "vmxoff")
ASM64(c_vmrun, "vmrun")
ASM64(c_vmptrld, "vmptrld (%rax)")
ASM64(c_vmclear, "vmclear (%rax)")
ASM64(c_vmxon, "vmxon (%rax)")
ASM64(c_vmread, "vmread %rax,%rbx")
ASM64(c_vmwrite, "vmwrite (%rax),%rbx")
ASM64(c_invept, "invept (%rax),%rbx")
ASM64(c_nop, "nop")
ASM64(c_nopl, "nopl 0(%rax)")
ASM64(c_nopw9, "nopw 0(%rax,%rax,1)")
ASM64(c_cs_mov, "mov %cs:(%rax),%eax")
ASM64(c_rex_cli, ".byte 0x48,0xfa")
ASM64(c_wrmsrns, ".byte 0x0f,0x01,0xc6")
ASM64(c_rdmsrlist, ".byte 0xf2,0x0f,0x01,0xc6")
ASM64(c_wrmsrlist, ".byte 0xf3,0x0f,0x01,0xc6")
ASM64(c_encls, "encls")
ASM64(c_invvpid, "invvpid (%rax),%rbx")
ASM64(c_vmresume, "vmresume")
ASM64(c_vmptrst, "vmptrst (%rax)")
ASM64(c_vmload, "vmload")
ASM64(c_skinit, "skinit")
ASM64(c_vmfunc, "vmfunc")
ASM64(c_retf, "lret")

ASM32(d_cli, "cli")
ASM32(d_pushfl, "pushfl")
ASM32(d_popfw, "popfw")
ASM32(d_push_es, "push %es")
ASM32(d_push_cs, "push %cs")
ASM32(d_pop_ds, "pop %ds")
ASM32(d_pop_ss, "pop %ss")
ASM32(d_ljmp, "ljmp $0x10,$0x1000")
ASM32(d_lcall, "lcall $0x8,$0x0")
ASM32(d_ljmpw, "ljmpw $0x10,$0x100")
ASM32(d_les, "les (%eax),%eax")
ASM32(d_lds, "lds 4(%ebx),%ecx")
ASM32(d_rdcr3, "mov %cr3,%eax")
ASM32(d_wrcr0, "mov %ecx,%cr0")
ASM32(d_lock_cr8, ".byte 0xf0,0x0f,0x22,0xc0")
ASM32(d_lgdt, "lgdt (%eax)")
ASM32(d_lgdt16, "addr16 lgdt (%bx,%si)")
ASM32(d_lidt_abs, "lidt 0x1000")
ASM32(d_outb, "outb %al,$0x80")
ASM32(d_inl, "inl (%dx),%eax")
ASM32(d_insb, "insb (%dx),%es:(%edi)")
ASM32(d_rep_outsl, "rep outsl %ds:(%esi),(%dx)")
ASM32(d_iret, "iret")
ASM32(d_sysexit, "sysexit")
ASM32(d_rdmsr, "rdmsr")
ASM32(d_wrmsr, "wrmsr")
ASM32(d_mmio, "movl 0x10(%esi,%edi,8),%edx")
ASM32(d_sidt, "sidt (%esp)")
ASM32(d_lret, "lret")
ASM32(d_smsw, "smsw %ax")
ASM32(d_cpuid, "cpuid")
ASM32(d_rdtsc, "rdtsc")

/* Host-only instructions (issue 12 item 4); gas 2.40 lacks the last four. */
ASM64(h_vmgexit, "rep; vmmcall")
ASM64(h_tdcall, "tdcall")
ASM64(h_seamcall, "seamcall")
ASM64(h_seamret, "seamret")
ASM64(h_seamops, "seamops")
ASM64(h_pvalidate, "pvalidate")
ASM64(h_rmpupdate, "rmpupdate")
ASM64(h_psmash, "psmash")
ASM64(h_rmpadjust, "rmpadjust")
ASM64(h_rmpquery, "rmpquery")
ASM64(h_getsec, "getsec")
ASM64(h_pconfig, "pconfig")
ASM64(h_rsm, "rsm")
ASM64(h_setssbsy, "setssbsy")
ASM64(h_clrssbsy, "clrssbsy 8(%rax)")
ASM64(h_wrussq, "wrussq %rax,(%rbx)")
ASM64(h_wrussd, "wrussd %eax,(%r9)")
ASM64(h_enclv, "enclv")
ASM64(h_enqcmds, "enqcmds (%rdx),%rax")
ASM64(h_hreset, "hreset $1")
ASM64(h_loadiwkey, "loadiwkey %xmm1,%xmm2")
ASM64(h_invpcid_bytes, ".byte 0x66,0x0f,0x38,0x82,0x01")
ASM64(h_rmpread, ".byte 0xf2,0x0f,0x01,0xfd")
ASM64(h_erets, ".byte 0xf2,0x0f,0x01,0xca")
ASM64(h_eretu, ".byte 0xf3,0x0f,0x01,0xca")
ASM64(h_lkgs, ".byte 0xf2,0x0f,0x00,0xf0")
ASM64(h_mcommit, "mcommit")
ASM64(h_enclu, "enclu")
ASM32(g_vmgexit, "rep; vmmcall")
ASM32(g_tdcall, "tdcall")
ASM32(g_pvalidate, "pvalidate")
ASM32(g_getsec, "getsec")
ASM32(g_setssbsy, "setssbsy")
ASM32(g_clrssbsy, "clrssbsy (%eax)")
ASM32(g_wrussd, "wrussd %eax,(%ebx)")
ASM32(g_enqcmds, "enqcmds (%edx),%eax")
ASM32(g_hreset, "hreset $0")
ASM32(g_loadiwkey, "loadiwkey %xmm1,%xmm2")
ASM32(g_invpcid, "invpcid (%ecx),%eax")
ASM32(g_rsm, "rsm")

static const struct dcase cases[] = {
	C(c_cli, 64, "cli", PV_OP_CLI, PREVIRT_CLASS_CLI, 0),
	C(c_sti, 64, "sti", PV_OP_STI, PREVIRT_CLASS_STI, 0),
	C(c_hlt, 64, "hlt", PV_OP_HLT, PREVIRT_CLASS_HLT, 0),
	C(c_pushfq, 64, "pushfq", PV_OP_PUSHF, PREVIRT_CLASS_PUSHF, 8),
	C(c_popfq, 64, "popfq", PV_OP_POPF, PREVIRT_CLASS_POPF, 8),
	C(c_pushfw, 64, "pushfw", PV_OP_PUSHF, PREVIRT_CLASS_PUSHF, 2),
	C(c_popfw, 64, "popfw", PV_OP_POPF, PREVIRT_CLASS_POPF, 2),
	C(c_inb_imm, 64, "inb imm", PV_OP_IN, PREVIRT_CLASS_PIO, 1),
	C(c_inl_imm, 64, "inl imm", PV_OP_IN, PREVIRT_CLASS_PIO, 4),
	C(c_outb_imm, 64, "outb imm", PV_OP_OUT, PREVIRT_CLASS_PIO, 1),
	C(c_outw_imm, 64, "outw imm", PV_OP_OUT, PREVIRT_CLASS_PIO, 2),
	C(c_inb_dx, 64, "inb dx", PV_OP_IN, PREVIRT_CLASS_PIO, 1),
	C(c_inw_dx, 64, "inw dx", PV_OP_IN, PREVIRT_CLASS_PIO, 2),
	C(c_outl_dx, 64, "outl dx", PV_OP_OUT, PREVIRT_CLASS_PIO, 4),
	C(c_rep_outsb, 64, "rep outsb", PV_OP_OUTS, PREVIRT_CLASS_PIO, 1),
	C(c_insw, 64, "insw", PV_OP_INS, PREVIRT_CLASS_PIO, 2),
	C(c_mmio_ld, 64, "movl (%rdi)", PV_OP_MOV_LOAD, 0, 4),
	C(c_mmio_st, 64, "movb to mem", PV_OP_MOV_STORE, 0, 1),
	C(c_mmio_st64, 64, "movq sib", PV_OP_MOV_STORE, 0, 8),
	C(c_mmio_imm, 64, "movl imm to mem", PV_OP_MOV_STORE, 0, 4),
	C(c_mmio_zx, 64, "movzbl", PV_OP_MOV_LOAD, 0, 4),
	C(c_mmio_sx, 64, "movswl", PV_OP_MOV_LOAD, 0, 4),
	C(c_mmio_fs, 64, "movw %fs:", PV_OP_MOV_STORE, 0, 2),
	C(c_mmio_moffs, 64, "movabs moffs", PV_OP_MOV_LOAD, 0, 1),
	C(c_rdcr3, 64, "mov from cr3", PV_OP_MOV_FROM_CR, PREVIRT_CLASS_CR, 8),
	C(c_wrcr3, 64, "mov to cr3", PV_OP_MOV_TO_CR, PREVIRT_CLASS_CR, 8),
	C(c_rdcr0_r8, 64, "mov cr0 to r8", PV_OP_MOV_FROM_CR, PREVIRT_CLASS_CR, 8),
	C(c_wrcr8, 64, "mov to cr8", PV_OP_MOV_TO_CR, PREVIRT_CLASS_CR, 8),
	C(c_lock_cr8, 64, "lock mov cr0 (cr8)", PV_OP_MOV_FROM_CR, PREVIRT_CLASS_CR, 8),
	C(c_lmsw, 64, "lmsw", PV_OP_LMSW, PREVIRT_CLASS_CR, 2),
	C(c_smsw_r, 64, "smsw reg", PV_OP_SMSW, PREVIRT_CLASS_CR, 0),
	C(c_smsw_m, 64, "smsw mem", PV_OP_SMSW, PREVIRT_CLASS_CR, 2),
	C(c_clts, 64, "clts", PV_OP_CLTS, PREVIRT_CLASS_CR, 0),
	C(c_rddr7, 64, "mov from dr7", PV_OP_MOV_FROM_DR, PREVIRT_CLASS_DR, 8),
	C(c_wrdr0, 64, "mov to dr0", PV_OP_MOV_TO_DR, PREVIRT_CLASS_DR, 8),
	C(c_lgdt, 64, "lgdt", PV_OP_LGDT, PREVIRT_CLASS_DESC_LOAD, 8),
	C(c_lidt_rip, 64, "lidt rip", PV_OP_LIDT, PREVIRT_CLASS_DESC_LOAD, 8),
	C(c_lldt, 64, "lldt", PV_OP_LLDT, PREVIRT_CLASS_DESC_LOAD, 2),
	C(c_ltr, 64, "ltr", PV_OP_LTR, PREVIRT_CLASS_DESC_LOAD, 2),
	C(c_sgdt, 64, "sgdt", PV_OP_SGDT, PREVIRT_CLASS_DESC_STORE, 8),
	C(c_sidt, 64, "sidt", PV_OP_SIDT, PREVIRT_CLASS_DESC_STORE, 8),
	C(c_sldt, 64, "sldt", PV_OP_SLDT, PREVIRT_CLASS_DESC_STORE, 4),
	C(c_str, 64, "str", PV_OP_STR, PREVIRT_CLASS_DESC_STORE, 0),
	C(c_mov_cs, 64, "mov %cs", PV_OP_MOV_FROM_SEG, PREVIRT_CLASS_SEG_READ, 4),
	C(c_mov_ss_m, 64, "mov %ss to mem", PV_OP_MOV_FROM_SEG, PREVIRT_CLASS_SEG_READ, 2),
	C(c_push_fs, 64, "push %fs", PV_OP_PUSH_SEG, PREVIRT_CLASS_SEG_READ, 8),
	C(c_pushw_gs, 64, "pushw %gs", PV_OP_PUSH_SEG, PREVIRT_CLASS_SEG_READ, 2),
	C(c_mov_ds, 64, "mov to %ds", PV_OP_MOV_TO_SEG, PREVIRT_CLASS_SEG_WRITE, 2),
	C(c_mov_es_m, 64, "mov mem to %es", PV_OP_MOV_TO_SEG, PREVIRT_CLASS_SEG_WRITE, 2),
	C(c_pop_fs, 64, "pop %fs", PV_OP_POP_SEG, PREVIRT_CLASS_SEG_WRITE, 8),
	C(c_lss, 64, "lss", PV_OP_LOAD_FAR_PTR, PREVIRT_CLASS_SEG_WRITE, 4),
	C(c_lfs, 64, "lfs", PV_OP_LOAD_FAR_PTR, PREVIRT_CLASS_SEG_WRITE, 4),
	C(c_ljmp_m, 64, "ljmp *mem", PV_OP_LJMP, PREVIRT_CLASS_FAR_XFER, 0),
	C(c_lcall_m, 64, "lcall *mem", PV_OP_LCALL, PREVIRT_CLASS_FAR_XFER, 0),
	C(c_lret, 64, "lretl", PV_OP_LRET, PREVIRT_CLASS_FAR_XFER, 4),
	C(c_lretq, 64, "lretq", PV_OP_LRET, PREVIRT_CLASS_FAR_XFER, 8),
	C(c_lret_imm, 64, "lretl $8", PV_OP_LRET, PREVIRT_CLASS_FAR_XFER, 4),
	C(c_lar, 64, "lar", PV_OP_LAR, PREVIRT_CLASS_SEG_CHECK, 4),
	C(c_lsl, 64, "lsl", PV_OP_LSL, PREVIRT_CLASS_SEG_CHECK, 8),
	C(c_verr, 64, "verr", PV_OP_VERR, PREVIRT_CLASS_SEG_CHECK, 2),
	C(c_verw, 64, "verw", PV_OP_VERW, PREVIRT_CLASS_SEG_CHECK, 2),
	C(c_invlpg, 64, "invlpg", PV_OP_INVLPG, PREVIRT_CLASS_TLB, 0),
	C(c_invpcid, 64, "invpcid", PV_OP_INVPCID, PREVIRT_CLASS_TLB, 8),
	C(c_invlpga, 64, "invlpga", PV_OP_INVLPGA, PREVIRT_CLASS_TLB, 0),
	C(c_invlpgb, 64, "invlpgb", PV_OP_INVLPGB, PREVIRT_CLASS_TLB, 0),
	C(c_tlbsync, 64, "tlbsync", PV_OP_TLBSYNC, PREVIRT_CLASS_TLB, 0),
	C(c_invd, 64, "invd", PV_OP_INVD, PREVIRT_CLASS_CACHE, 0),
	C(c_wbinvd, 64, "wbinvd", PV_OP_WBINVD, PREVIRT_CLASS_CACHE, 0),
	C(c_wbnoinvd, 64, "wbnoinvd", PV_OP_WBNOINVD, PREVIRT_CLASS_CACHE, 0),
	C(c_rdmsr, 64, "rdmsr", PV_OP_RDMSR, PREVIRT_CLASS_MSR, 0),
	C(c_wrmsr, 64, "wrmsr", PV_OP_WRMSR, PREVIRT_CLASS_MSR, 0),
	C(c_rdpmc, 64, "rdpmc", PV_OP_RDPMC, PREVIRT_CLASS_PMC, 0),
	C(c_rdtsc, 64, "rdtsc", PV_OP_RDTSC, PREVIRT_CLASS_TSC, 0),
	C(c_rdtscp, 64, "rdtscp", PV_OP_RDTSCP, PREVIRT_CLASS_TSC, 0),
	C(c_cpuid, 64, "cpuid", PV_OP_CPUID, PREVIRT_CLASS_CPUID, 0),
	C(c_iretq, 64, "iretq", PV_OP_IRET, PREVIRT_CLASS_KRET, 8),
	C(c_iretl, 64, "iretl", PV_OP_IRET, PREVIRT_CLASS_KRET, 4),
	C(c_sysretq, 64, "sysretq", PV_OP_SYSRET, PREVIRT_CLASS_KRET, 8),
	C(c_sysexitl, 64, "sysexitl", PV_OP_SYSEXIT, PREVIRT_CLASS_KRET, 4),
	C(c_swapgs, 64, "swapgs", PV_OP_SWAPGS, PREVIRT_CLASS_SWAPGS, 0),
	C(c_rdfsbase, 64, "rdfsbase", PV_OP_RDFSBASE, PREVIRT_CLASS_FSGSBASE, 8),
	C(c_rdgsbase, 64, "rdgsbase", PV_OP_RDGSBASE, PREVIRT_CLASS_FSGSBASE, 4),
	C(c_wrfsbase, 64, "wrfsbase", PV_OP_WRFSBASE, PREVIRT_CLASS_FSGSBASE, 8),
	C(c_wrgsbase, 64, "wrgsbase", PV_OP_WRGSBASE, PREVIRT_CLASS_FSGSBASE, 8),
	C(c_xsetbv, 64, "xsetbv", PV_OP_XSETBV, PREVIRT_CLASS_XCR, 0),
	C(c_xsaves, 64, "xsaves", PV_OP_XSAVES, PREVIRT_CLASS_XSAVES, 0),
	C(c_xrstors64, 64, "xrstors64", PV_OP_XRSTORS, PREVIRT_CLASS_XSAVES, 0),
	C(c_monitor, 64, "monitor", PV_OP_MONITOR, PREVIRT_CLASS_MWAIT, 0),
	C(c_mwait, 64, "mwait", PV_OP_MWAIT, PREVIRT_CLASS_MWAIT, 0),
	C(c_clac, 64, "clac", PV_OP_CLAC, PREVIRT_CLASS_SMAP, 0),
	C(c_stac, 64, "stac", PV_OP_STAC, PREVIRT_CLASS_SMAP, 0),
	C(c_vmcall, 64, "vmcall", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmlaunch, 64, "vmlaunch", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmxoff, 64, "vmxoff", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmrun, 64, "vmrun", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmptrld, 64, "vmptrld", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmclear, 64, "vmclear", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmxon, 64, "vmxon", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmread, 64, "vmread", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmwrite, 64, "vmwrite", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_invept, 64, "invept", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_nop, 64, "nop", PV_OP_NOP, 0, 0),
	C(c_nopl, 64, "nopl", PV_OP_NOP, 0, 0),
	C(c_nopw9, 64, "nopw sib", PV_OP_NOP, 0, 0),
	C(c_cs_mov, 64, "mov %cs:", PV_OP_MOV_LOAD, 0, 4),
	C(c_rex_cli, 64, "rex cli", PV_OP_CLI, PREVIRT_CLASS_CLI, 0),
	C(c_wrmsrns, 64, "wrmsrns", PV_OP_WRMSRNS, PREVIRT_CLASS_MSR, 0),
	C(c_rdmsrlist, 64, "rdmsrlist", PV_OP_RDMSRLIST, PREVIRT_CLASS_MSR, 0),
	C(c_wrmsrlist, 64, "wrmsrlist", PV_OP_WRMSRLIST, PREVIRT_CLASS_MSR, 0),
	C(c_encls, 64, "encls", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_invvpid, 64, "invvpid", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmresume, 64, "vmresume", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmptrst, 64, "vmptrst", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmload, 64, "vmload", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_skinit, 64, "skinit", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_vmfunc, 64, "vmfunc", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(c_retf, 64, "lret (retf)", PV_OP_LRET, PREVIRT_CLASS_FAR_XFER, 0),

	C(d_cli, 32, "cli", PV_OP_CLI, PREVIRT_CLASS_CLI, 0),
	C(d_pushfl, 32, "pushfl", PV_OP_PUSHF, PREVIRT_CLASS_PUSHF, 4),
	C(d_popfw, 32, "popfw", PV_OP_POPF, PREVIRT_CLASS_POPF, 2),
	C(d_push_es, 32, "push %es", PV_OP_PUSH_SEG, PREVIRT_CLASS_SEG_READ, 4),
	C(d_push_cs, 32, "push %cs", PV_OP_PUSH_SEG, PREVIRT_CLASS_SEG_READ, 4),
	C(d_pop_ds, 32, "pop %ds", PV_OP_POP_SEG, PREVIRT_CLASS_SEG_WRITE, 4),
	C(d_pop_ss, 32, "pop %ss", PV_OP_POP_SEG, PREVIRT_CLASS_SEG_WRITE, 4),
	C(d_ljmp, 32, "ljmp ptr16:32", PV_OP_LJMP, PREVIRT_CLASS_FAR_XFER, 4),
	C(d_lcall, 32, "lcall ptr16:32", PV_OP_LCALL, PREVIRT_CLASS_FAR_XFER, 4),
	C(d_ljmpw, 32, "ljmpw ptr16:16", PV_OP_LJMP, PREVIRT_CLASS_FAR_XFER, 2),
	C(d_les, 32, "les", PV_OP_LOAD_FAR_PTR, PREVIRT_CLASS_SEG_WRITE, 4),
	C(d_lds, 32, "lds", PV_OP_LOAD_FAR_PTR, PREVIRT_CLASS_SEG_WRITE, 4),
	C(d_rdcr3, 32, "mov from cr3", PV_OP_MOV_FROM_CR, PREVIRT_CLASS_CR, 4),
	C(d_wrcr0, 32, "mov to cr0", PV_OP_MOV_TO_CR, PREVIRT_CLASS_CR, 4),
	C(d_lock_cr8, 32, "lock mov to cr0 (cr8)", PV_OP_MOV_TO_CR, PREVIRT_CLASS_CR, 4),
	C(d_lgdt, 32, "lgdt", PV_OP_LGDT, PREVIRT_CLASS_DESC_LOAD, 4),
	C(d_lgdt16, 32, "addr16 lgdt", PV_OP_LGDT, PREVIRT_CLASS_DESC_LOAD, 4),
	C(d_lidt_abs, 32, "lidt abs", PV_OP_LIDT, PREVIRT_CLASS_DESC_LOAD, 4),
	C(d_outb, 32, "outb", PV_OP_OUT, PREVIRT_CLASS_PIO, 1),
	C(d_inl, 32, "inl dx", PV_OP_IN, PREVIRT_CLASS_PIO, 4),
	C(d_insb, 32, "insb", PV_OP_INS, PREVIRT_CLASS_PIO, 1),
	C(d_rep_outsl, 32, "rep outsl", PV_OP_OUTS, PREVIRT_CLASS_PIO, 4),
	C(d_iret, 32, "iret", PV_OP_IRET, PREVIRT_CLASS_KRET, 4),
	C(d_sysexit, 32, "sysexit", PV_OP_SYSEXIT, PREVIRT_CLASS_KRET, 4),
	C(d_rdmsr, 32, "rdmsr", PV_OP_RDMSR, PREVIRT_CLASS_MSR, 0),
	C(d_wrmsr, 32, "wrmsr", PV_OP_WRMSR, PREVIRT_CLASS_MSR, 0),
	C(d_mmio, 32, "movl sib", PV_OP_MOV_LOAD, 0, 4),
	C(d_sidt, 32, "sidt", PV_OP_SIDT, PREVIRT_CLASS_DESC_STORE, 4),
	C(d_lret, 32, "lret", PV_OP_LRET, PREVIRT_CLASS_FAR_XFER, 4),
	C(d_smsw, 32, "smsw %ax", PV_OP_SMSW, PREVIRT_CLASS_CR, 0),
	C(d_cpuid, 32, "cpuid", PV_OP_CPUID, PREVIRT_CLASS_CPUID, 0),
	C(d_rdtsc, 32, "rdtsc", PV_OP_RDTSC, PREVIRT_CLASS_TSC, 0),
	C(h_vmgexit, 64, "vmgexit", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_tdcall, 64, "tdcall", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_seamcall, 64, "seamcall", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_seamret, 64, "seamret", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_seamops, 64, "seamops", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_pvalidate, 64, "pvalidate", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_rmpupdate, 64, "rmpupdate", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_psmash, 64, "psmash", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_rmpadjust, 64, "rmpadjust", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_rmpquery, 64, "rmpquery", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_getsec, 64, "getsec", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_pconfig, 64, "pconfig", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_rsm, 64, "rsm", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_setssbsy, 64, "setssbsy", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_clrssbsy, 64, "clrssbsy", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_wrussq, 64, "wrussq", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_wrussd, 64, "wrussd", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_enclv, 64, "enclv", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_enqcmds, 64, "enqcmds", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_hreset, 64, "hreset", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_loadiwkey, 64, "loadiwkey", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_rmpread, 64, "rmpread", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_erets, 64, "erets", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_eretu, 64, "eretu", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_lkgs, 64, "lkgs", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(h_invpcid_bytes, 64, "invpcid as .byte", PV_OP_INVPCID, PREVIRT_CLASS_TLB, 8),
	C(h_mcommit, 64, "mcommit (not monitorx)", PV_OP_NONE, 0, 0),
	C(h_enclu, 64, "enclu", PV_OP_NONE, 0, 0),
	C(g_vmgexit, 32, "vmgexit", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_tdcall, 32, "tdcall", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_pvalidate, 32, "pvalidate", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_getsec, 32, "getsec", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_setssbsy, 32, "setssbsy", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_clrssbsy, 32, "clrssbsy", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_wrussd, 32, "wrussd", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_enqcmds, 32, "enqcmds", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_hreset, 32, "hreset", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_loadiwkey, 32, "loadiwkey", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_rsm, 32, "rsm", PV_OP_VMX, PREVIRT_CLASS_VMX, 0),
	C(g_invpcid, 32, "invpcid", PV_OP_INVPCID, PREVIRT_CLASS_TLB, 4),
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

START_TEST(test_table)
{
	const struct dcase *c = &cases[_i];
	size_t n = (size_t)(c->end - c->start);
	struct pv_x86_insn in;
	int len = pv_x86_decode(c->start, n, c->bits, &in);

	ck_assert_msg(len == (int)n, "%d-bit '%s': decoded length %d, gas made %zu bytes",
		      c->bits, c->text, len, n);
	ck_assert_msg(in.op == c->op, "%d-bit '%s': op %s, want %s", c->bits, c->text,
		      pv_x86_op_name(in.op), pv_x86_op_name(c->op));
	ck_assert_msg(in.klass == c->klass, "%d-bit '%s': class %s, want %s", c->bits, c->text,
		      previrt_class_name(in.klass), previrt_class_name(c->klass));
	if (c->opsize)
		ck_assert_msg(in.opsize == c->opsize, "%d-bit '%s': opsize %d, want %d",
			      c->bits, c->text, in.opsize, c->opsize);
	/* one byte fewer must never decode: the decoder may not read past its input */
	ck_assert_int_eq(pv_x86_decode(c->start, n - 1, c->bits, &in), PV_DEC_TRUNCATED);
}
END_TEST

/* Every class of abi.h (but MMIO, which is a plain move) has a case. */
START_TEST(test_every_class_covered)
{
	int seen[PREVIRT_CLASS_COUNT] = { 0 };
	unsigned int i, c;

	for (i = 0; i < NCASES; i++)
		seen[cases[i].klass] = 1;
	for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
		if (c != PREVIRT_CLASS_MMIO)
			ck_assert_msg(seen[c], "class %s has no decoder case", previrt_class_name(c));
}
END_TEST

static void decode_ok(const unsigned char *b, size_t n, int bits, struct pv_x86_insn *in)
{
	int len = pv_x86_decode(b, n, bits, in);
	ck_assert_int_eq(len, (int)n);
}

START_TEST(test_fields_mov_sib)
{
	/* movq %rax,0x10(%rbx,%rcx,4) */
	struct pv_x86_insn in;
	decode_ok(c_mmio_st64_s, (size_t)(c_mmio_st64_e - c_mmio_st64_s), 64, &in);
	ck_assert_int_eq(in.reg, 0);
	ck_assert_int_eq(in.mem.base, 3);
	ck_assert_int_eq(in.mem.index, 1);
	ck_assert_int_eq(in.mem.scale, 4);
	ck_assert_int_eq(in.mem.disp, 0x10);
	ck_assert_int_eq(in.mem.seg, PV_SEG_DS);
	ck_assert_int_eq(in.rex, 0x48);
}
END_TEST

START_TEST(test_fields_rex_registers)
{
	/* mov %cr0,%r8 and mov %r9,%cr8: REX.B and REX.R reach the register numbers */
	struct pv_x86_insn in;
	decode_ok(c_rdcr0_r8_s, (size_t)(c_rdcr0_r8_e - c_rdcr0_r8_s), 64, &in);
	ck_assert_int_eq(in.reg, 0);
	ck_assert_int_eq(in.rm_reg, 8);
	decode_ok(c_wrcr8_s, (size_t)(c_wrcr8_e - c_wrcr8_s), 64, &in);
	ck_assert_int_eq(in.reg, 8);
	ck_assert_int_eq(in.rm_reg, 9);
	decode_ok(c_lock_cr8_s, 4, 64, &in);
	ck_assert_int_eq(in.reg, 8);
	ck_assert_int_eq(in.rm_reg, 0);
}
END_TEST

START_TEST(test_fields_rip_relative_and_stack)
{
	struct pv_x86_insn in;
	decode_ok(c_lidt_rip_s, (size_t)(c_lidt_rip_e - c_lidt_rip_s), 64, &in);
	ck_assert_int_eq(in.mem.base, PV_REG_RIP);
	ck_assert_int_eq(in.mem.disp, 0x10);
	decode_ok(c_sidt_s, (size_t)(c_sidt_e - c_sidt_s), 64, &in);
	ck_assert_int_eq(in.mem.base, 5);
	ck_assert_int_eq(in.mem.disp, -8);
	ck_assert_int_eq(in.mem.seg, PV_SEG_SS);	/* %rbp-based: stack segment */
	decode_ok(c_mmio_fs_s, (size_t)(c_mmio_fs_e - c_mmio_fs_s), 64, &in);
	ck_assert_int_eq(in.mem.seg, PV_SEG_FS);
	ck_assert_int_eq(in.memsize, 2);
}
END_TEST

START_TEST(test_fields_immediates)
{
	struct pv_x86_insn in;
	decode_ok(c_outb_imm_s, 2, 64, &in);
	ck_assert(in.has_imm);
	ck_assert_int_eq(in.imm, 0x80);	/* ports are zero-extended */
	decode_ok(c_mmio_imm_s, (size_t)(c_mmio_imm_e - c_mmio_imm_s), 64, &in);
	ck_assert_int_eq(in.imm, 0x12345678);
	decode_ok(c_mmio_moffs_s, (size_t)(c_mmio_moffs_e - c_mmio_moffs_s), 64, &in);
	ck_assert(in.has_mem);
	ck_assert_int_eq(in.mem.disp, 0x1122334455667788LL);
	decode_ok(d_ljmp_s, (size_t)(d_ljmp_e - d_ljmp_s), 32, &in);
	ck_assert_int_eq(in.imm, 0x1000);
	ck_assert_int_eq(in.imm2, 0x10);
	decode_ok(c_lret_imm_s, (size_t)(c_lret_imm_e - c_lret_imm_s), 64, &in);
	ck_assert_int_eq(in.imm, 8);
}
END_TEST

START_TEST(test_fields_16bit_addressing)
{
	/* addr16 lgdt (%bx,%si): base bx (3), index si (6) */
	struct pv_x86_insn in;
	decode_ok(d_lgdt16_s, (size_t)(d_lgdt16_e - d_lgdt16_s), 32, &in);
	ck_assert_int_eq(in.adsize, 2);
	ck_assert_int_eq(in.mem.base, 3);
	ck_assert_int_eq(in.mem.index, 6);
}
END_TEST

START_TEST(test_fields_string_io)
{
	struct pv_x86_insn in;
	decode_ok(c_rep_outsb_s, (size_t)(c_rep_outsb_e - c_rep_outsb_s), 64, &in);
	ck_assert(in.prefixes & PV_PFX_REP);
	ck_assert_int_eq(in.adsize, 8);
}
END_TEST

/* Wrong input: each must fail with the right error, never with a length. */
struct bad {
	const char *what;
	unsigned char b[16];
	size_t n;
	int bits;
	int err;
};

static const struct bad bads[] = {
	{ "empty", { 0 }, 0, 64, PV_DEC_TRUNCATED },
	{ "lone 0f", { 0x0f }, 1, 64, PV_DEC_TRUNCATED },
	{ "prefix only", { 0x66, 0x66 }, 2, 64, PV_DEC_TRUNCATED },
	{ "modrm missing", { 0x0f, 0x22 }, 2, 64, PV_DEC_TRUNCATED },
	{ "disp32 cut", { 0x0f, 0x01, 0x15, 0x10, 0x00 }, 5, 64, PV_DEC_TRUNCATED },
	{ "15 prefixes", { 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
			   0x66, 0x66, 0x66, 0x66, 0x66, 0xfa }, 16, 64, PV_DEC_INVALID },
	{ "sgdt reg form", { 0x0f, 0x01, 0xc7 }, 3, 64, PV_DEC_UNKNOWN },	/* c0 is enclv */
	{ "lgdt reg form", { 0x0f, 0x01, 0xd2 }, 3, 64, PV_DEC_UNKNOWN },	/* d7 is enclu */
	{ "mov to cr5", { 0x0f, 0x22, 0xe8 }, 3, 64, PV_DEC_INVALID },
	{ "mov to cr1", { 0x0f, 0x22, 0xc8 }, 3, 64, PV_DEC_INVALID },
	{ "mov to dr8", { 0x44, 0x0f, 0x23, 0xc0 }, 4, 64, PV_DEC_INVALID },
	{ "mov to %cs", { 0x8e, 0xc8 }, 2, 64, PV_DEC_INVALID },
	{ "mov to sreg 6", { 0x8e, 0xf0 }, 2, 64, PV_DEC_INVALID },
	{ "lock cli", { 0xf0, 0xfa }, 2, 64, PV_DEC_INVALID },
	{ "lock out", { 0xf0, 0xe6, 0x80 }, 3, 64, PV_DEC_INVALID },
	{ "ljmp far *reg", { 0xff, 0xe8 }, 2, 64, PV_DEC_INVALID },
	{ "lss reg form", { 0x0f, 0xb2, 0xc0 }, 3, 64, PV_DEC_INVALID },
	{ "push %es in 64-bit", { 0x06 }, 1, 64, PV_DEC_MODE },
	{ "pop %ds in 64-bit", { 0x1f }, 1, 64, PV_DEC_MODE },
	{ "ljmp ptr in 64-bit", { 0xea, 0, 0, 0, 0, 0x10, 0 }, 7, 64, PV_DEC_MODE },
	{ "swapgs in 32-bit", { 0x0f, 0x01, 0xf8 }, 3, 32, PV_DEC_MODE },
	{ "wrfsbase in 32-bit", { 0xf3, 0x0f, 0xae, 0xd7 }, 4, 32, PV_DEC_MODE },
	{ "bad code size", { 0xfa }, 1, 16, PV_DEC_MODE },
	{ "add: not ours", { 0x01, 0xc0 }, 2, 64, PV_DEC_UNKNOWN },
	{ "jmp: not ours", { 0xeb, 0x00 }, 2, 64, PV_DEC_UNKNOWN },
	{ "VEX in 64-bit", { 0xc5, 0xf8, 0x77 }, 3, 64, PV_DEC_UNKNOWN },
	{ "0f 3a map", { 0x0f, 0x3a, 0x0f, 0xc0, 0x01 }, 5, 64, PV_DEC_UNKNOWN },
	{ "inc in 32-bit", { 0x40 }, 1, 32, PV_DEC_UNKNOWN },
	{ "grp6 /6", { 0x0f, 0x00, 0xf0 }, 3, 64, PV_DEC_UNKNOWN },
	{ "rstorssp", { 0xf3, 0x0f, 0x01, 0x28 }, 4, 64, PV_DEC_UNKNOWN },
	{ "vmread with 66 (extrq)", { 0x66, 0x0f, 0x78, 0xc0, 0x01, 0x02 }, 6, 64, PV_DEC_UNKNOWN },
	{ "invpcid without 66", { 0x0f, 0x38, 0x82, 0x07 }, 4, 64, PV_DEC_UNKNOWN },
	{ "invpcid reg form", { 0x66, 0x0f, 0x38, 0x82, 0xc0 }, 5, 64, PV_DEC_INVALID },
};
#define NBADS (sizeof(bads) / sizeof(bads[0]))

/*
 * A mandatory prefix makes another instruction of the same bytes, some of
 * them only in 64-bit code: f3 0f 01 ff is psmash, never tlbsync, and in
 * 32-bit code it is nothing the runtime may patch.
 */
START_TEST(test_host_only_modes)
{
	static const unsigned char psmash[] = { 0xf3, 0x0f, 0x01, 0xff };
	static const unsigned char eretu[] = { 0xf3, 0x0f, 0x01, 0xca };
	static const unsigned char seamcall[] = { 0x66, 0x0f, 0x01, 0xcf };
	static const unsigned char hreset[] = { 0xf3, 0x0f, 0x3a, 0xf0, 0xc0, 0x05 };
	static const unsigned char aesenc128kl[] = { 0xf3, 0x0f, 0x38, 0xdc, 0x01 };
	struct pv_x86_insn in;

	ck_assert_int_eq(pv_x86_decode(psmash, 4, 32, &in), PV_DEC_MODE);
	ck_assert_int_eq(pv_x86_decode(eretu, 4, 32, &in), PV_DEC_MODE);
	ck_assert_int_eq(pv_x86_decode(seamcall, 4, 32, &in), PV_DEC_MODE);
	ck_assert_int_eq(pv_x86_decode(hreset, 6, 64, &in), 6);
	ck_assert(in.has_imm && in.imm == 5);
	ck_assert_int_ne(pv_x86_decode(aesenc128kl, 5, 64, &in), 5);
}
END_TEST

START_TEST(test_bad_input)
{
	const struct bad *b = &bads[_i];
	struct pv_x86_insn in;
	int r = pv_x86_decode(b->b, b->n, b->bits, &in);

	ck_assert_msg(r == b->err, "%s: got %d (%s), want %d (%s)", b->what, r,
		      r < 0 ? pv_x86_strerror(r) : "a length", b->err, pv_x86_strerror(b->err));
}
END_TEST

START_TEST(test_rex_before_legacy_prefix_is_ignored)
{
	/* 48 66 9c: REX then 66 -> REX ignored, pushfw */
	static const unsigned char b[] = { 0x48, 0x66, 0x9c };
	struct pv_x86_insn in;

	ck_assert_int_eq(pv_x86_decode(b, 3, 64, &in), 3);
	ck_assert_int_eq(in.rex, 0);
	ck_assert_int_eq(in.opsize, 2);
}
END_TEST

/* Padding: what gas emits for .nops in each mode, and what we write. */
ASM64(p64_1, ".nops 1")
ASM64(p64_3, ".nops 3")
ASM64(p64_5, ".nops 5")
ASM64(p64_7, ".nops 7")
ASM64(p64_15, ".nops 15")
ASM32(p32_3, ".nops 3")
ASM32(p32_6, ".nops 6")
ASM32(p32_7, ".nops 7")
ASM32(p32_mov, ".byte 0x89, 0xf6")
/* what gcc -m32 gets from gas for .nops 7 (no -march=i686): lea 0(%esi,%eiz,1),%esi */
ASM32(p32_lea7, ".byte 0x8d, 0xb4, 0x26, 0, 0, 0, 0")
ASM32(p32_lea3, ".byte 0x8d, 0x76, 0x00")

START_TEST(test_padding_from_gas)
{
	ck_assert(pv_x86_is_padding(p64_1_s, 1, 64));
	ck_assert(pv_x86_is_padding(p64_3_s, 3, 64));
	ck_assert(pv_x86_is_padding(p64_5_s, 5, 64));
	ck_assert(pv_x86_is_padding(p64_7_s, 7, 64));
	ck_assert(pv_x86_is_padding(p64_15_s, 15, 64));
	ck_assert(pv_x86_is_padding(p32_3_s, 3, 32));
	ck_assert(pv_x86_is_padding(p32_6_s, 6, 32));
	ck_assert(pv_x86_is_padding(p32_7_s, 7, 32));
	ck_assert(pv_x86_is_padding(p32_mov_s, 2, 32));
	ck_assert(pv_x86_is_padding(p32_lea7_s, 7, 32));
	ck_assert(pv_x86_is_padding(p32_lea3_s, 3, 32));
	ck_assert(pv_x86_is_padding(p64_1_s, 0, 64));
}
END_TEST

START_TEST(test_padding_rejects)
{
	/* i386 lea idioms zero-extend in 64-bit code: not padding there */
	ck_assert(!pv_x86_is_padding(p32_lea7_s, 7, 64));
	ck_assert(!pv_x86_is_padding(p32_lea3_s, 3, 64));
	ck_assert(!pv_x86_is_padding(p32_mov_s, 2, 64));
	/* a nop cut short, a cli, a lea with a displacement, rep nop (pause) */
	ck_assert(!pv_x86_is_padding(p64_7_s, 6, 64));
	ck_assert(!pv_x86_is_padding((const unsigned char *)"\xfa", 1, 64));
	ck_assert(!pv_x86_is_padding((const unsigned char *)"\x8d\x76\x01", 3, 32));
	ck_assert(!pv_x86_is_padding((const unsigned char *)"\xf3\x90", 2, 64));
	ck_assert(!pv_x86_is_padding((const unsigned char *)"\x0f\x1f\xc8", 3, 64)); /* /1 */
	ck_assert(!pv_x86_is_padding((const unsigned char *)"\xcc", 1, 64));
}
END_TEST

START_TEST(test_fill_nops_canonical)
{
	unsigned char buf[32];
	struct pv_x86_insn in;
	size_t n;

	for (n = 0; n <= 24; n++) {
		memset(buf, 0xcc, sizeof(buf));
		pv_x86_fill_nops(buf, n);
		ck_assert_msg(pv_x86_is_padding(buf, n, 64), "%zu bytes not padding in 64-bit", n);
		ck_assert_msg(pv_x86_is_padding(buf, n, 32), "%zu bytes not padding in 32-bit", n);
		ck_assert_int_eq(buf[n], 0xcc);	/* not one byte further */
		/* up to 11 bytes: a single instruction */
		if (n >= 1 && n <= 11)
			ck_assert_int_eq(pv_x86_decode(buf, n, 64, &in), (int)n);
	}
}
END_TEST

static Suite *decode_suite(void)
{
	Suite *s = suite_create("x86-decode");
	TCase *t = tcase_create("table");

	tcase_add_loop_test(t, test_table, 0, NCASES);
	tcase_add_test(t, test_every_class_covered);
	suite_add_tcase(s, t);
	t = tcase_create("fields");
	tcase_add_test(t, test_fields_mov_sib);
	tcase_add_test(t, test_fields_rex_registers);
	tcase_add_test(t, test_fields_rip_relative_and_stack);
	tcase_add_test(t, test_fields_immediates);
	tcase_add_test(t, test_fields_16bit_addressing);
	tcase_add_test(t, test_fields_string_io);
	tcase_add_test(t, test_rex_before_legacy_prefix_is_ignored);
	tcase_add_test(t, test_host_only_modes);
	suite_add_tcase(s, t);
	t = tcase_create("bad-input");
	tcase_add_loop_test(t, test_bad_input, 0, NBADS);
	suite_add_tcase(s, t);
	t = tcase_create("padding");
	tcase_add_test(t, test_padding_from_gas);
	tcase_add_test(t, test_padding_rejects);
	tcase_add_test(t, test_fill_nops_canonical);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(decode_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
