/* SPDX-License-Identifier: MIT */
/* Running one instruction that may fault, under the trap catcher (see probe.h). */
#include "probe.h"

/*
 * The asm around a probed instruction: store the resume address (label 1,
 * after the instruction and any sled the plugin put behind it) for the
 * handler, take the instruction's own address (label 2), run it.
 */
#ifdef __x86_64__
#define PROBE(insn)					\
	"leaq 1f(%%rip), %[at]\n\t"			\
	"movq %[at], %[resume]\n\t"			\
	"leaq 2f(%%rip), %[at]\n"			\
	"2:\t" insn "\n"				\
	"1:"
/* The probed load and store move one native word. */
#define PROBE_MOV	"movq"
#else
#define PROBE(insn)					\
	"movl $1f, %[at]\n\t"				\
	"movl %[at], %[resume]\n\t"			\
	"movl $2f, %[at]\n"				\
	"2:\t" insn "\n"				\
	"1:"
#define PROBE_MOV	"movl"	/* the low half of the 64-bit word */
#endif

static void finish(struct probe *out, unsigned long at)
{
	trap_catch.armed = 0;
	out->rec = *(const struct trap_record *)&trap_catch.rec;
	out->insn = at;
	out->next = trap_catch.resume;
}

uint64_t probe_load(const volatile uint64_t *p, struct probe *out)
{
	unsigned long v = 0, at;

	trap_arm();
	__asm__ volatile(PROBE(PROBE_MOV " (%[p]), %[v]")
			 : [v] "+r"(v), [at] "=&r"(at), [resume] "=m"(trap_catch.resume)
			 : [p] "r"(p) : "memory");
	finish(out, at);
	return v;
}

void probe_store(volatile uint64_t *p, uint64_t v, struct probe *out)
{
	unsigned long at;

	trap_arm();
	__asm__ volatile(PROBE(PROBE_MOV " %[v], (%[p])")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume)
			 : [p] "r"(p), [v] "r"((unsigned long)v) : "memory");
	finish(out, at);
}

void probe_int3(struct probe *out)
{
	unsigned long at;

	trap_arm();
	__asm__ volatile(PROBE("int3")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume) :: "memory");
	finish(out, at);
}

void probe_ud2(struct probe *out)
{
	unsigned long at;

	trap_arm();
	__asm__ volatile(PROBE("ud2")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume) :: "memory");
	finish(out, at);
}

void probe_divide(uint32_t divisor, struct probe *out)
{
	unsigned long at;
	uint32_t lo = 1, hi = 0;

	trap_arm();
	__asm__ volatile(PROBE("divl %[d]")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume), "+a"(lo), "+d"(hi)
			 : [d] "r"(divisor) : "memory");
	finish(out, at);
}

void probe_load_ds(uint16_t sel, struct probe *out)
{
	unsigned long at;

	trap_arm();
	__asm__ volatile(PROBE("movw %[s], %%ds")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume)
			 : [s] "r"(sel) : "memory");
	finish(out, at);
}

#ifdef __x86_64__
void probe_rdfsbase(struct probe *out)
{
	uint64_t at, v;

	trap_arm();
	__asm__ volatile(PROBE("rdfsbase %[v]")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume), [v] "=r"(v)
			 :: "memory");
	finish(out, at);
}
#else
void probe_load_ss(uint16_t sel, struct probe *out)
{
	unsigned long at;

	trap_arm();
	__asm__ volatile(PROBE("movw %[s], %%ss")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume)
			 : [s] "r"(sel) : "memory");
	finish(out, at);
}
#endif

void probe_xsetbv(uint32_t xcr, uint64_t v, struct probe *out)
{
	unsigned long at;

	trap_arm();
	__asm__ volatile(PROBE("xsetbv")
			 : [at] "=&r"(at), [resume] "=m"(trap_catch.resume)
			 : "c"(xcr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
	finish(out, at);
}
