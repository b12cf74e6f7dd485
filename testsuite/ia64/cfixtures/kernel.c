// SPDX-License-Identifier: MIT
/*
 * A kernel's privileged accessors as C with inline asm, compiled by the
 * IA-64 cross gcc with the plugin (run-cross.sh): inlined copies, operands,
 * a predicate set by a compare in the same template, an explicit bundle,
 * and a top-level asm. kernel.expect lists the records in table order.
 */
typedef unsigned long u64;

static inline void irq_disable(void)
{
	asm volatile("rsm psr.i;;" ::: "memory");
}

static inline void irq_enable_if(u64 on)
{
	asm volatile("cmp.ne p6, p0 = %0, r0 ;;\n\t(p6) ssm psr.i ;;" :: "r"(on) : "p6", "memory");
}

static inline u64 read_itc(void)
{
	u64 v;

	asm volatile("mov %0 = ar.itc" : "=r"(v) :: "memory");
	return v;
}

static inline void set_rr(u64 reg, u64 val)
{
	asm volatile("mov rr[%0] = %1 ;;\n\tsrlz.d ;;" :: "r"(reg), "r"(val) : "memory");
}

static inline u64 get_ifa(void)
{
	u64 v;

	asm volatile("mov %0 = cr.ifa ;;" : "=r"(v));
	return v;
}

static inline void tlb_purge(u64 addr, u64 size)
{
	asm volatile("ptc.ga %0, %1 ;;" :: "r"(addr), "r"(size << 2) : "memory");
}

static inline void hypercall(void)
{
	asm volatile("break 0x1000 ;;" ::: "memory");
}

/* Resume from interruption, in the source's own bundle. */
static inline void resume(void)
{
	asm volatile("{ .mib\n\tnop.m 0\n\tnop.i 0\n\trfi ;;\n}" ::: "memory");
}

u64 kernel_entry(u64 a, u64 b);

u64 kernel_entry(u64 a, u64 b)
{
	u64 t;

	irq_disable();
	t = read_itc();
	set_rr(a, b);
	t += get_ifa();
	tlb_purge(a, 14);
	irq_enable_if(t);
	hypercall();
	irq_disable();		/* a second inlined copy: its own sled and record */
	if (a == b)
		resume();
	return t + read_itc();
}

/* The handler the test backend's calls go to (never run here). */
asm(".text\n\t.align 16\n\t.global previrt_test_handler\n"
    "previrt_test_handler:\n\tbr.ret.sptk.many b7 ;;\n"
    "\t.global previrt_boot_cover\n"
    "previrt_boot_cover:\n\tcover ;;\n\tbr.ret.sptk.many b0 ;;");
