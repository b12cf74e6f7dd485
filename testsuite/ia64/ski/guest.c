// SPDX-License-Identifier: MIT
/*
 * The Ski run (run-ski.sh): an IA-64 program compiled with the plugin,
 * linked with libprevirt's IA-64 code, run bare at PL0 under HP's Ski
 * simulator. It runs its privileged sites natively first (in leaf
 * functions, out of line, so that the very same sleds run again after
 * patching, and so that the handler call's ar.pfs is the plugin's
 * concern: it declares ar.pfs and b7 clobbered), then patches
 * its own previrt_sites table for the test backend (each sled's bundle
 * becomes a brl.call to previrt_test_handler, then fc; sync.i; srlz.i)
 * and runs them again: now each executed site calls the handler once and
 * the instruction itself no longer runs, and a site whose qualifying
 * predicate is false calls nothing. The PSR reads are left unannotated
 * (-fplugin-arg-previrt-no-classes=pushf) so that they show what ran.
 * Exit status 0: all as expected; otherwise the number of the failed step.
 */
#include "previrt/ia64.h"

#define SSC_PUTCHAR 31
#define PSR_I (1UL << 14)

unsigned long ski_ssc(unsigned long a0, unsigned long a1, unsigned long a2, unsigned long a3,
		      unsigned long nr);
int ski_main(void);
void pv_flush_counted(void *ctx, uint64_t addr, unsigned long len);

extern char previrt_test_handler[];
extern volatile unsigned long ski_handler_calls;

static void say(const char *s)
{
	while (*s)
		ski_ssc((unsigned long)*s++, 0, 0, 0, SSC_PUTCHAR);
}

static void say_num(unsigned long v)
{
	char buf[24];
	int n = 0;

	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		ski_ssc((unsigned long)buf[--n], 0, 0, 0, SSC_PUTCHAR);
}

static inline unsigned long read_psr(void)
{
	unsigned long v;

	asm volatile("mov %0 = psr ;;" : "=r"(v) :: "memory");
	return v;
}

static inline void irq_off(void)
{
	asm volatile("rsm psr.i ;;" ::: "memory");
}

static inline void irq_on_if(unsigned long on)
{
	asm volatile("cmp.ne p6, p0 = %0, r0 ;;\n\t(p6) ssm psr.i ;;" :: "r"(on) : "p6", "memory");
}

/* Out of line, so that the same sleds run before and after patching. */
__attribute__((noinline)) static void do_irq_off(void)
{
	irq_off();
}

__attribute__((noinline)) static void do_irq_on_if(unsigned long on)
{
	irq_on_if(on);
}

static unsigned long flushes;

/*
 * The flush on IA-64 (fc; sync.i; srlz.i), counted so the run can show it
 * ran. Built with -DSKI_SKIP_FLUSH it is left out: run-ski.sh reports what
 * the simulator then executes (the stale bundles, on Ski 1.5.1).
 */
void pv_flush_counted(void *ctx, uint64_t addr, unsigned long len)
{
	flushes++;
#ifdef SKI_SKIP_FLUSH
	(void)ctx;
	(void)addr;
	(void)len;
#else
	pv_ia64_flush_icache_native(ctx, addr, len);
#endif
}

static unsigned int patch_all(void)
{
	struct pv_ia64_patcher p = {
		.backend = PV_IA64_TEST,
		.handler = (uint64_t)previrt_test_handler,
		.flush_icache = pv_flush_counted,
	};
	const struct previrt_site *s;
	unsigned int patched = 0;

	for (s = __start_previrt_sites; s < __stop_previrt_sites; s++) {
		unsigned char *sled = previrt_site_sled(s);

		if (pv_ia64_patch_site(&p, s, sled, (uint64_t)sled,
				       (uint32_t)(s - __start_previrt_sites), 0) == 0)
			patched++;
	}
	return patched;
}

int ski_main(void)
{
	unsigned int n;

	say("previrt-ski: native\n");
	do_irq_on_if(1);
	if (!(read_psr() & PSR_I))
		return 1;
	do_irq_off();
	if (read_psr() & PSR_I)
		return 2;
	do_irq_on_if(0);			/* predicate false: stays off */
	if (read_psr() & PSR_I)
		return 3;
	if (ski_handler_calls != 0)
		return 4;

	n = patch_all();
	say("previrt-ski: patched ");
	say_num(n);
	say(" of ");
	say_num((unsigned long)(__stop_previrt_sites - __start_previrt_sites));
	say(" sites, ");
	say_num(flushes);
	say(" flushes\n");
	if (n == 0 || n != (unsigned int)(__stop_previrt_sites - __start_previrt_sites) || flushes != n)
		return 5;

	/* Patched: the instructions no longer run, the handler does. */
	do_irq_on_if(1);			/* handler call 1; psr.i stays 0 */
	if (read_psr() & PSR_I)
		return 6;
	do_irq_on_if(0);			/* predicate false: no call */
	do_irq_off();			/* handler call 2 */
	say("previrt-ski: handler calls ");
	say_num(ski_handler_calls);
	say("\n");
	if (ski_handler_calls != 2)
		return 7;
	say("previrt-ski: ok\n");
	return 0;
}
