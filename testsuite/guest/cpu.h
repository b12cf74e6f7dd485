/* SPDX-License-Identifier: MIT */
/*
 * Sensitive x86 instructions as C inline asm, one wrapper each. They are
 * inline asm on purpose: that is what the previrt plugin sees and pads with
 * a sled, so every caller in the guest becomes a patchable site. Wrappers
 * are "volatile" with a "memory" clobber where the instruction changes what
 * memory accesses mean (paging, segments, interrupt state).
 */
#ifndef GUEST_CPU_H
#define GUEST_CPU_H

#include <stdint.h>

/*
 * Operand-size suffix of the native word: the same wrappers assemble for
 * the x86-64 guest ("pushfq", "movq %cr0") and the i386 one ("pushfl",
 * "movl %cr0"). Register-sized values travel as unsigned long, which is
 * uint64_t on x86-64.
 */
#ifdef __x86_64__
#define CPU_W	"q"
#else
#define CPU_W	"l"
#endif

#define RFLAGS_IF	(1ull << 9)
#define RFLAGS_ZF	(1ull << 6)

#define CR0_PE		(1ull << 0)
#define CR0_MP		(1ull << 1)
#define CR0_TS		(1ull << 3)
#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define CR4_PCE		(1ull << 8)
#define CR4_OSXMMEXCPT	(1ull << 10)
#define CR4_FSGSBASE	(1ull << 16)
#define CR4_OSXSAVE	(1ull << 18)

#define MSR_APIC_BASE		0x0000001b
#define MSR_EFER		0xc0000080
#define MSR_FS_BASE		0xc0000100
#define MSR_GS_BASE		0xc0000101
#define MSR_KERNEL_GS_BASE	0xc0000102
#define MSR_TSC_AUX		0xc0000103
#define EFER_LME		(1ull << 8)
#define EFER_LMA		(1ull << 10)

/* ---- interrupt flag ---- */
static inline void cpu_cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void cpu_sti(void) { __asm__ volatile("sti" ::: "memory"); }

static inline uint64_t cpu_read_flags(void)
{
	unsigned long f;
	__asm__ volatile("pushf" CPU_W "\n\tpop" CPU_W " %0" : "=r"(f) :: "memory");
	return f;
}

static inline void cpu_write_flags(uint64_t f)
{
	__asm__ volatile("push" CPU_W " %0\n\tpopf" CPU_W :: "r"((unsigned long)f) : "memory", "cc");
}

/* Linux-style nesting: save the flags, then disable; restore puts IF back. */
static inline uint64_t cpu_irq_save(void)
{
	uint64_t f = cpu_read_flags();
	cpu_cli();
	return f;
}

static inline void cpu_hlt(void) { __asm__ volatile("hlt" ::: "memory"); }
/*
 * Linux's native_safe_halt(): the interrupt that sti lets in can only be
 * taken once hlt has started, so it always ends the hlt.
 */
static inline void cpu_safe_halt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

/* ---- control registers ---- */
#define CPU_CR_ACCESSORS(n)						\
static inline unsigned long cpu_read_cr##n(void)		\
{									\
	unsigned long v;						\
	__asm__ volatile("mov" CPU_W " %%cr" #n ", %0" : "=r"(v) :: "memory"); \
	return v;							\
}									\
static inline void cpu_write_cr##n(uint64_t v)				\
{									\
	__asm__ volatile("mov" CPU_W " %0, %%cr" #n :: "r"((unsigned long)v) : "memory"); \
}
CPU_CR_ACCESSORS(0)
CPU_CR_ACCESSORS(2)
CPU_CR_ACCESSORS(3)
CPU_CR_ACCESSORS(4)
#undef CPU_CR_ACCESSORS

/* The 16-bit legacy views of CR0: smsw reads, lmsw writes PE/MP/EM/TS. */
static inline uint16_t cpu_smsw(void)
{
	uint16_t v;
	__asm__ volatile("smsw %0" : "=r"(v));
	return v;
}
static inline void cpu_lmsw(uint16_t v) { __asm__ volatile("lmsw %0" :: "r"(v) : "memory"); }
static inline void cpu_clts(void) { __asm__ volatile("clts" ::: "memory"); }

static inline void cpu_invlpg(const volatile void *va)
{
	__asm__ volatile("invlpg (%0)" :: "r"(va) : "memory");
}

/* ---- debug registers ---- */
static inline uint64_t cpu_read_dr6(void)
{
	unsigned long v;
	__asm__ volatile("mov" CPU_W " %%dr6, %0" : "=r"(v));
	return v;
}
static inline void cpu_write_dr6(uint64_t v) { __asm__ volatile("mov" CPU_W " %0, %%dr6" :: "r"((unsigned long)v)); }
static inline uint64_t cpu_read_dr0(void)
{
	unsigned long v;
	__asm__ volatile("mov" CPU_W " %%dr0, %0" : "=r"(v));
	return v;
}
static inline void cpu_write_dr0(uint64_t v) { __asm__ volatile("mov" CPU_W " %0, %%dr0" :: "r"((unsigned long)v)); }
static inline uint64_t cpu_read_dr7(void)
{
	unsigned long v;
	__asm__ volatile("mov" CPU_W " %%dr7, %0" : "=r"(v));
	return v;
}
static inline void cpu_write_dr7(uint64_t v) { __asm__ volatile("mov" CPU_W " %0, %%dr7" :: "r"((unsigned long)v) : "memory"); }

/* ---- descriptor tables ---- */
struct __attribute__((packed)) desc_ptr {
	uint16_t limit;
	unsigned long base;	/* 64 bits in long mode, 32 in the i386 build */
};

static inline void cpu_lgdt(const struct desc_ptr *p) { __asm__ volatile("lgdt %0" :: "m"(*p) : "memory"); }
static inline void cpu_lidt(const struct desc_ptr *p) { __asm__ volatile("lidt %0" :: "m"(*p) : "memory"); }
static inline void cpu_sgdt(struct desc_ptr *p) { __asm__ volatile("sgdt %0" : "=m"(*p)); }
static inline void cpu_sidt(struct desc_ptr *p) { __asm__ volatile("sidt %0" : "=m"(*p)); }
static inline void cpu_ltr(uint16_t sel) { __asm__ volatile("ltr %0" :: "r"(sel) : "memory"); }

static inline void cpu_lldt(uint16_t sel) { __asm__ volatile("lldt %0" :: "r"(sel) : "memory"); }

static inline uint16_t cpu_sldt(void)
{
	uint16_t sel;
	__asm__ volatile("sldt %0" : "=r"(sel));
	return sel;
}

static inline uint16_t cpu_str(void)
{
	uint16_t sel;
	__asm__ volatile("str %0" : "=r"(sel));
	return sel;
}

/* ---- segment registers ---- */
#define CPU_SEG_ACCESSORS(s)						\
static inline uint16_t cpu_read_##s(void)				\
{									\
	uint16_t v;							\
	__asm__ volatile("movw %%" #s ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void cpu_load_##s(uint16_t v)				\
{									\
	__asm__ volatile("movw %0, %%" #s :: "r"(v) : "memory");	\
}
CPU_SEG_ACCESSORS(ds)
CPU_SEG_ACCESSORS(es)
CPU_SEG_ACCESSORS(fs)
CPU_SEG_ACCESSORS(gs)
CPU_SEG_ACCESSORS(ss)
#undef CPU_SEG_ACCESSORS

static inline uint16_t cpu_read_cs(void)
{
	uint16_t v;
	__asm__ volatile("movw %%cs, %0" : "=r"(v));
	return v;
}

/* Reload %cs: a far return to the next instruction with the new selector. */
#ifdef __x86_64__
static inline void cpu_load_cs(uint16_t sel)
{
	uint64_t tmp;
	__asm__ volatile("leaq 1f(%%rip), %0\n\t"
			 "pushq %q1\n\t"
			 "pushq %0\n\t"
			 "lretq\n"
			 "1:"
			 : "=&r"(tmp) : "r"((uint64_t)sel) : "memory");
}
#else
static inline void cpu_load_cs(uint16_t sel)
{
	__asm__ volatile("pushl %0\n\t"
			 "pushl $1f\n\t"
			 "lretl\n"
			 "1:"
			 :: "r"((uint32_t)sel) : "memory");
}
#endif

/* lsl: segment limit, or -1 when the selector is not valid here (ZF=0). */
#ifdef __x86_64__
static inline int64_t cpu_lsl(uint16_t sel)
{
	uint64_t limit = 0;
	uint8_t ok;
	__asm__ volatile("lslq %q2, %0\n\tsetz %1" : "+r"(limit), "=q"(ok) : "r"((uint64_t)sel) : "cc");
	return ok ? (int64_t)limit : -1;
}

/* lar: access-rights bytes (bits 8..23), or -1 when not valid (ZF=0). */
static inline int64_t cpu_lar(uint16_t sel)
{
	uint64_t ar = 0;
	uint8_t ok;
	__asm__ volatile("larq %q2, %0\n\tsetz %1" : "+r"(ar), "=q"(ok) : "r"((uint64_t)sel) : "cc");
	return ok ? (int64_t)ar : -1;
}
#else
static inline int64_t cpu_lsl(uint16_t sel)
{
	uint32_t limit = 0;
	uint8_t ok;
	__asm__ volatile("lsll %2, %0\n\tsetz %1" : "+r"(limit), "=q"(ok) : "r"((uint32_t)sel) : "cc");
	return ok ? (int64_t)limit : -1;
}

static inline int64_t cpu_lar(uint16_t sel)
{
	uint32_t ar = 0;
	uint8_t ok;
	__asm__ volatile("larl %2, %0\n\tsetz %1" : "+r"(ar), "=q"(ok) : "r"((uint32_t)sel) : "cc");
	return ok ? (int64_t)ar : -1;
}
#endif

static inline int cpu_verr(uint16_t sel)
{
	uint8_t ok;
	__asm__ volatile("verr %1\n\tsetz %0" : "=q"(ok) : "r"(sel) : "cc");
	return ok;
}

static inline int cpu_verw(uint16_t sel)
{
	uint8_t ok;
	__asm__ volatile("verw %1\n\tsetz %0" : "=q"(ok) : "r"(sel) : "cc");
	return ok;
}

/* ---- MSRs, cpuid, time ---- */
static inline uint64_t cpu_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void cpu_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

struct cpuid_regs { uint32_t eax, ebx, ecx, edx; };

static inline struct cpuid_regs cpu_cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;
	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline uint64_t cpu_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

/* rdtscp: the TSC, and IA32_TSC_AUX in *aux. */
static inline uint64_t cpu_rdtscp(uint32_t *aux)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(*aux) :: "memory");
	return ((uint64_t)hi << 32) | lo;
}

#ifdef __x86_64__	/* FSGSBASE and swapgs exist in 64-bit mode only */
/* FS/GS base without an MSR (CR4.FSGSBASE). */
static inline uint64_t cpu_rdfsbase(void)
{
	uint64_t v;
	__asm__ volatile("rdfsbase %0" : "=r"(v));
	return v;
}
static inline void cpu_wrfsbase(uint64_t v) { __asm__ volatile("wrfsbase %0" :: "r"(v) : "memory"); }
static inline uint64_t cpu_rdgsbase(void)
{
	uint64_t v;
	__asm__ volatile("rdgsbase %0" : "=r"(v));
	return v;
}
static inline void cpu_swapgs(void) { __asm__ volatile("swapgs" ::: "memory"); }
#endif

/* Extended control registers (CR4.OSXSAVE). xgetbv is not sensitive. */
static inline uint64_t cpu_xgetbv(uint32_t xcr)
{
	uint32_t lo, hi;
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(xcr));
	return ((uint64_t)hi << 32) | lo;
}
static inline void cpu_xsetbv(uint32_t xcr, uint64_t v)
{
	__asm__ volatile("xsetbv" :: "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

/* SMAP's override of RFLAGS.AC. */
static inline void cpu_stac(void) { __asm__ volatile("stac" ::: "memory", "cc"); }
static inline void cpu_clac(void) { __asm__ volatile("clac" ::: "memory", "cc"); }

/* Arm the monitor on addr's line, then wait (hint 0, no extensions). */
static inline void cpu_monitor(const volatile void *addr)
{
	__asm__ volatile("monitor" :: "a"(addr), "c"(0), "d"(0) : "memory");
}
static inline void cpu_mwait(void) { __asm__ volatile("mwait" :: "a"(0), "c"(0) : "memory"); }
/* The idle loop's "sti; mwait": like cpu_safe_halt(). */
static inline void cpu_sti_mwait(void)
{
	__asm__ volatile("sti; mwait" :: "a"(0), "c"(0) : "memory");
}

static inline void cpu_wbinvd(void) { __asm__ volatile("wbinvd" ::: "memory"); }

#endif
