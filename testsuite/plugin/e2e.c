// SPDX-License-Identifier: MIT
/*
 * End to end: a program whose unprivileged sensitive instructions all run,
 * built once with the plugin and once without; the test compares what the
 * two print. Sleds must cost nothing in meaning when left as they are.
 */
#include <stdio.h>
#include <string.h>

static unsigned long flags_now(void)
{
	unsigned long f;

	asm volatile("pushf; pop %0" : "=r" (f) : : "memory");
	return f;
}

static void flags_set(unsigned long f)
{
	asm volatile("push %0; popf" : : "r" (f) : "memory", "cc");
}

static void cpuid(unsigned int leaf, unsigned int r[4])
{
	asm volatile("cpuid" : "=a" (r[0]), "=b" (r[1]), "=c" (r[2]), "=d" (r[3])
		     : "0" (leaf), "2" (0));
}

static unsigned long long tsc(void)
{
	unsigned int lo, hi;

	asm volatile("rdtsc" : "=a" (lo), "=d" (hi));
	return ((unsigned long long)hi << 32) | lo;
}

int main(void)
{
	unsigned int r[4], cs, ds, ss, ok_r, ok_w;
	unsigned long limit, ar, f0, f1;
	unsigned long long t0, t1;
	char vendor[13];
	int i;

	/* The direction flag through popf: set it, read it back, clear it. */
	f0 = flags_now();
	flags_set(f0 | 0x400);
	f1 = flags_now();
	flags_set(f0);
	printf("pushf/popf: DF set %d, IF %d, restored %d\n", !!(f1 & 0x400), !!(f1 & 0x200),
	       flags_now() == f0);

	cpuid(0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	vendor[12] = '\0';
	printf("cpuid(0): max leaf %u vendor %s\n", r[0], vendor);

	asm volatile("mov %%cs, %0" : "=r" (cs));
	asm volatile("mov %%ds, %0" : "=r" (ds));
	asm volatile("mov %%ss, %0" : "=r" (ss));
	printf("selectors: cs %#x ds %#x ss %#x (RPL %u)\n", cs, ds, ss, cs & 3);

	asm volatile("lsl %1, %0" : "=r" (limit) : "r" ((unsigned long)ss) : "cc");
	asm volatile("lar %1, %0" : "=r" (ar) : "r" ((unsigned long)ss) : "cc");
	asm volatile("verr %w1; sete %b0" : "=q" (ok_r) : "r" (ss) : "cc");
	asm volatile("verw %w1; sete %b0" : "=q" (ok_w) : "r" (ss) : "cc");
	printf("ss descriptor: limit %#lx access %#lx readable %u writable %u\n",
	       limit, ar & 0xffff00, ok_r & 1, ok_w & 1);

	t0 = tsc();
	for (i = 0; i < 1000; i++)
		asm volatile("" ::: "memory");
	t1 = tsc();
	printf("rdtsc: monotonic %d\n", t1 > t0);
	return 0;
}
