// SPDX-License-Identifier: MIT
/*
 * Benchmark: what a sled costs when it runs natively, and what the
 * generic dispatcher costs when it does not.
 *
 * pushf/pop is timed in tight loops, eight pairs per iteration: bare,
 * followed by the sled's padding as gas writes it (one 7-byte NOP), and
 * with the padding as seven 1-byte NOPs (what a naive pad would cost).
 * Then a pushf sled patched into a call to the generic dispatcher, with a
 * handler that emulates it on the virtual CPU model, which is the path
 * every class takes before a backend gives it an inline sequence; timed
 * with the hosted dispatcher saving the extended state with XSAVE(C) and,
 * for comparison, with FXSAVE.  (The kernel archive saves neither: its
 * handlers are built -mgeneral-regs-only.)
 *
 * Units are TSC ticks per pushf/pop pair, minimum over several runs of
 * many iterations, with lfence around rdtsc.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <previrt/vcpu.h>
#include "rt-sled.h"

#define ITERS	1000000
#define RUNS	9

/* hosted dispatcher's choice of XSAVE area size (xstate.c); 0 = FXSAVE */
extern unsigned int pv_xsave_size, pv_xsave_compact;

static inline uint64_t tsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) :: "memory");
	return (uint64_t)hi << 32 | lo;
}

#define LOOP(name, per_iter, body)					\
static double name(void)						\
{									\
	double best = 1e30;						\
	int r, i;							\
									\
	for (r = 0; r < RUNS; r++) {					\
		uint64_t t0 = tsc(), t1;				\
		for (i = 0; i < ITERS; i++)				\
			__asm__ volatile(body ::: "rax", "memory", "cc"); \
		t1 = tsc();						\
		if ((double)(t1 - t0) / ITERS / (per_iter) < best)	\
			best = (double)(t1 - t0) / ITERS / (per_iter);	\
	}								\
	return best;							\
}

#define X8(s) s s s s s s s s
LOOP(bare, 8, X8("pushf\n\tpop %%rax\n\t"))
LOOP(padded, 8, X8("pushf\n\t.nops 7\n\tpop %%rax\n\t"))
LOOP(split, 8, X8("pushf\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tpop %%rax\n\t"))
LOOP(dispatched, 1, PV_HAND_SLED("pushf", 3, 0) "pop %%rax")

static struct previrt_vcpu vcpu = { .if_flag = 1 };

static int handle(struct previrt_vcpu *v, struct previrt_regs *r, const struct pv_x86_insn *in,
		  const struct previrt_site *s)
{
	return previrt_vcpu_emulate(v, r, in, s);
}

static struct previrt_backend be = { .name = "bench-vcpu", .handle = handle, .vcpu = &vcpu };

int main(void)
{
	struct previrt_env env;
	struct previrt_stats st;
	double b, p, s, dx, df;
	unsigned int xsave = pv_xsave_size;

	b = bare();
	p = padded();
	s = split();

	previrt_hosted_env(&env);
	be.fill[PREVIRT_CLASS_PUSHF] = PREVIRT_FILL_GENERIC;
	memset(&st, 0, sizeof(st));
	previrt_patch_range(__start_previrt_sites, __stop_previrt_sites, &be, &env, &st);
	if (st.patched != 1) {
		fprintf(stderr, "bench: the dispatched loop's sled was not patched\n");
		return 1;
	}
	dx = dispatched();
	pv_xsave_size = 0;
	df = dispatched();
	pv_xsave_size = xsave;

	printf("native cost of a sled (TSC ticks per pushf/pop pair):\n");
	printf("  bare pushf/pop:                        %8.2f\n", b);
	printf("  + 7-byte NOP padding (gas .nops 7):    %8.2f   ratio %.3f\n", p, p / b);
	printf("  + seven 1-byte NOPs:                   %8.2f   ratio %.3f\n", s, s / b);
	printf("generic dispatcher, pushf emulated on the vcpu model:\n");
	printf("  hosted, %-6s (area %5u bytes):      %8.2f   ratio %.1f\n",
	       pv_xsave_compact ? "XSAVEC" : "XSAVE", xsave, dx, dx / b);
	printf("  hosted, FXSAVE:                        %8.2f   ratio %.1f\n", df, df / b);
	return 0;
}
