// SPDX-License-Identifier: MIT
/*
 * The sensitive operations of the runtime test programs (rt-sites.h).
 * Built twice: with hand-written sleds, and bare for the plugin to find
 * (PV_SLED in rt-sled.h).  The accessors carry Linux's names (inb, outb,
 * readl...) because those are what the plugin tags as device sites.
 * Built with -mno-red-zone: a dispatched sled writes below %rsp.
 */
#include "rt-sites.h"
#include "rt-sled.h"

#ifdef __x86_64__
#define PV_SP "rsp"
#else
#define PV_SP "esp"
#endif

void rt_cli(void)
{
	__asm__ volatile(PV_SLED("cli", 1, 0) ::: "memory");
}

void rt_sti(void)
{
	__asm__ volatile(PV_SLED("sti", 2, 0) ::: "memory");
}

unsigned long rt_save_flags(void)
{
	unsigned long f;

	__asm__ volatile(PV_SLED("pushf", 3, 0) "pop %0" : "=r"(f) :: "memory");
	return f;
}

void rt_restore_flags(unsigned long f)
{
	__asm__ volatile("push %0\n\t" PV_SLED("popf", 4, 0) :: "r"(f) : "memory", "cc");
}

void rt_hlt(void)
{
	__asm__ volatile(PV_SLED("hlt", 5, 0) ::: "memory");
}

uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile(PV_SLED("inb %w1, %b0", 6, 1) : "=a"(v) : "Nd"(port));
	return v;
}

uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile(PV_SLED("inl %w1, %0", 6, 1) : "=a"(v) : "Nd"(port));
	return v;
}

void outb(uint8_t v, uint16_t port)
{
	__asm__ volatile(PV_SLED("outb %b0, %w1", 6, 1) :: "a"(v), "Nd"(port));
}

void outb_p(uint8_t v)
{
	__asm__ volatile(PV_SLED("outb %b0, $0x80", 6, 1) :: "a"(v));
}

void outsb(uint16_t port, const void *buf, unsigned long n)
{
	__asm__ volatile(PV_SLED("rep outsb", 6, 1)
			 : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

/* the prefix as a statement of its own, as older code writes it */
void outsw(uint16_t port, const void *buf, unsigned long n)
{
	__asm__ volatile(PV_SLED("rep; outsw", 6, 1)
			 : "+S"(buf), "+c"(n) : "d"(port) : "memory");
}

uint32_t readl(const volatile void *addr)
{
	uint32_t v;

	__asm__ volatile(PV_SLED("movl %1, %0", 7, 1)
			 : "=r"(v) : "m"(*(const volatile uint32_t *)addr) : "memory");
	return v;
}

void writel(uint32_t v, volatile void *addr)
{
	__asm__ volatile(PV_SLED("movl %0, %1", 7, 1)
			 :: "r"(v), "m"(*(volatile uint32_t *)addr) : "memory");
}

unsigned long rt_read_cr0(void)
{
	unsigned long v;

	__asm__ volatile(PV_SLED("mov %%cr0, %0", 8, 0) : "=r"(v));
	return v;
}

void rt_write_cr0(unsigned long v)
{
	__asm__ volatile(PV_SLED("mov %0, %%cr0", 8, 0) :: "r"(v) : "memory");
}

unsigned long rt_read_cr3(void)
{
	unsigned long v;

	__asm__ volatile(PV_SLED("mov %%cr3, %0", 8, 0) : "=r"(v));
	return v;
}

void rt_write_cr3(unsigned long v)
{
	__asm__ volatile(PV_SLED("mov %0, %%cr3", 8, 0) :: "r"(v) : "memory");
}

void rt_write_cr4(unsigned long v)
{
	__asm__ volatile(PV_SLED("mov %0, %%cr4", 8, 0) :: "r"(v) : "memory");
}

void rt_lidt(const struct rt_dtr *d)
{
	__asm__ volatile(PV_SLED("lidt %0", 10, 0) :: "m"(*d));
}

void rt_sidt(struct rt_dtr *d)
{
	__asm__ volatile(PV_SLED("sidt %0", 11, 0) : "=m"(*d));
}

void rt_lgdt(const struct rt_dtr *d)
{
	__asm__ volatile(PV_SLED("lgdt %0", 10, 0) :: "m"(*d));
}

void rt_ltr(uint16_t sel)
{
	__asm__ volatile(PV_SLED("ltr %0", 10, 0) :: "r"(sel));
}

void rt_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile(PV_SLED("wrmsr", 18, 0)
			 :: "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

uint64_t rt_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile(PV_SLED("rdmsr", 18, 0) : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

void rt_invlpg(const void *addr)
{
	__asm__ volatile(PV_SLED("invlpg (%0)", 16, 0) :: "r"(addr) : "memory");
}

void rt_wbinvd(void)
{
	__asm__ volatile(PV_SLED("wbinvd", 17, 0) ::: "memory");
}

void rt_stac(void)
{
	__asm__ volatile(PV_SLED("stac", 28, 0) ::: "memory");
}

void rt_clac(void)
{
	__asm__ volatile(PV_SLED("clac", 28, 0) ::: "memory");
}

uint64_t rt_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile(PV_SLED("rdtsc", 20, 0) : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

void rt_cpuid(uint32_t leaf, uint32_t out[4])
{
	__asm__ volatile(PV_SLED("cpuid", 21, 0)
			 : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
			 : "a"(leaf), "c"(0));
}

uint16_t rt_read_cs(void)
{
	uint16_t cs;

	__asm__ volatile(PV_SLED("mov %%cs, %0", 12, 0) : "=r"(cs));
	return cs;
}

int rt_cli_keeps_flags(void)
{
	unsigned long set, clear;

	/* CF and DF survive the trip through the dispatcher both ways */
	__asm__ volatile("stc\n\tstd\n\t" PV_SLED("cli", 1, 0)
			 "pushf\n\tpop %0\n\tcld\n\tclc\n\t" PV_SLED("cli", 1, 0)
			 "pushf\n\tpop %1\n\t"
			 : "=r"(set), "=r"(clear) :: "cc", "memory");
	return (set & 0x401) == 0x401 && (clear & 0x401) == 0;
}

int rt_pushf_popf_stack_exact(void)
{
	volatile unsigned long canary[2] = { 0x5a5a5a5aUL, 0xa5a5a5a5UL };
	unsigned long sp0, sp1, sp2, f;

	__asm__ volatile("mov %%" PV_SP ", %0\n\t" PV_SLED("pushf", 3, 0)
			 "mov %%" PV_SP ", %1\n\t" PV_SLED("popf", 4, 0)
			 "mov %%" PV_SP ", %2\n\t"
			 : "=&r"(sp0), "=&r"(sp1), "=&r"(sp2) :: "memory", "cc");
	f = rt_save_flags();
	rt_restore_flags(f);
	return sp1 == sp0 - sizeof(long) && sp2 == sp0 && (f & 0x200) == (rt_save_flags() & 0x200) &&
		canary[0] == 0x5a5a5a5aUL && canary[1] == 0xa5a5a5a5UL;
}
