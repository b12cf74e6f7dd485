// SPDX-License-Identifier: MIT
/*
 * Benchmark: how long does boot-time patching take per site?
 *
 * A synthetic table of N sites (default 3,000, about the x86-64 Linux
 * census) is built the way the plugin lays it out: sleds of real
 * sensitive instructions followed by gas's padding, one 12-byte record
 * each, in address order.  The sleds live in a data buffer and are
 * written with plain stores, as a kernel does at boot (no mprotect).
 * Measured, each as the median of several runs in fresh processes (the
 * dispatcher's slot table is static):
 *   - native backend: validate and keep every site;
 *   - generic backend: validate and turn every sled into a dispatcher call;
 *   - the same generic run on the table in reverse order, with memory
 *     lent for sorting it, and without (every pair is compared).
 * Target (issue 3): under 1 ms for 3,000 sites.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <previrt/backend.h>

extern const struct previrt_backend previrt_backend_native;

/* Instructions of the census's most common classes, with their class. */
static const struct {
	const char *bytes;
	int len, klass;
} mix[] = {
	{ "\xfa", 1, PREVIRT_CLASS_CLI },
	{ "\xfb", 1, PREVIRT_CLASS_STI },
	{ "\x9c", 1, PREVIRT_CLASS_PUSHF },
	{ "\x9d", 1, PREVIRT_CLASS_POPF },
	{ "\xee", 1, PREVIRT_CLASS_PIO },
	{ "\xe6\x80", 2, PREVIRT_CLASS_PIO },
	{ "\x0f\x20\xd8", 3, PREVIRT_CLASS_CR },
	{ "\x0f\x22\xdf", 3, PREVIRT_CLASS_CR },
	{ "\x0f\x30", 2, PREVIRT_CLASS_MSR },
	{ "\x0f\x32", 2, PREVIRT_CLASS_MSR },
	{ "\x0f\x01\x38", 3, PREVIRT_CLASS_TLB },
	{ "\x0f\x31", 2, PREVIRT_CLASS_TSC },
	{ "\x0f\xa2", 2, PREVIRT_CLASS_CPUID },
	{ "\x0f\x01\xcb", 3, PREVIRT_CLASS_SMAP },
	{ "\x8b\x07", 2, PREVIRT_CLASS_MMIO },
};
#define NMIX (sizeof(mix) / sizeof(mix[0]))

static int null_handle(struct previrt_vcpu *v, struct previrt_regs *r,
		       const struct pv_x86_insn *i, const struct previrt_site *s)
{
	(void)v; (void)r; (void)i; (void)s;
	return 0;
}

static struct previrt_backend generic = { .name = "generic", .handle = null_handle };

static void *lend(unsigned long size, void *ctx)
{
	(void)ctx;
	return malloc(size);
}

static void give_back(void *p, unsigned long size, void *ctx)
{
	(void)size; (void)ctx;
	free(p);
}

static unsigned char *text;
static struct previrt_site *tab;

/* Lay out n sites; gap bytes of ordinary code between sleds, like a kernel. */
static void build(int n, int reverse)
{
	int i;

	memset(text, 0xcc, (size_t)n * 24);
	for (i = 0; i < n; i++) {
		const int m = i % (int)NMIX;
		unsigned char *sled = text + (size_t)i * 24;
		struct previrt_site *r = &tab[reverse ? n - 1 - i : i];

		memcpy(sled, mix[m].bytes, (size_t)mix[m].len);
		pv_x86_fill_nops(sled + mix[m].len, (size_t)(8 - mix[m].len));
		memset(r, 0, sizeof(*r));
		r->sled_rel = (int)((char *)sled - (char *)&r->sled_rel);
		r->version = PREVIRT_ABI_VERSION;
		r->arch = PREVIRT_ARCH_X86_64;
		r->klass = (unsigned char)mix[m].klass;
		r->flags = mix[m].klass == PREVIRT_CLASS_MMIO ? PREVIRT_F_DEVICE : 0;
		r->sled_len = 8;
		r->insn_len = (unsigned char)mix[m].len;
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One timed patch in a child process; the child reports ns through a pipe. */
static double one_run(int n, const struct previrt_backend *b, int reverse, int lent)
{
	int fd[2];
	double ns = -1;
	pid_t pid;

	if (pipe(fd))
		return -1;
	pid = fork();
	if (pid == 0) {
		struct previrt_env env = { 0 };

		if (lent) {
			env.alloc = lend;
			env.release = give_back;
		}
		struct previrt_stats st;
		double t0, t1;

		build(n, reverse);
		memset(&st, 0, sizeof(st));
		t0 = now_ns();
		previrt_patch_range(tab, tab + n, b, &env, &st);
		t1 = now_ns();
		if (st.refused || st.patched + st.kept != (unsigned int)n) {
			fprintf(stderr, "bench: %u refused, %u patched, %u kept of %d\n",
				st.refused, st.patched, st.kept, n);
			_exit(1);
		}
		ns = t1 - t0;
		if (write(fd[1], &ns, sizeof(ns)) != sizeof(ns))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(fd[0]);
	waitpid(pid, NULL, 0);
	return ns;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_run(int n, const struct previrt_backend *b, int reverse, int lent, int reps)
{
	double t[15];
	int i;

	for (i = 0; i < reps; i++) {
		t[i] = one_run(n, b, reverse, lent);
		if (t[i] < 0) {
			fprintf(stderr, "bench: a run failed\n");
			exit(1);
		}
	}
	qsort(t, (size_t)reps, sizeof(t[0]), cmp);
	return t[reps / 2];
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 3000;
	unsigned int c;
	double native, gen, unsorted, pairwise;

	if (n < 1 || n > PREVIRT_DISPATCH_SLOTS) {
		fprintf(stderr, "usage: %s [sites, 1..%d]\n", argv[0], PREVIRT_DISPATCH_SLOTS);
		return 2;
	}
	text = malloc((size_t)n * 24);
	tab = malloc((size_t)n * sizeof(*tab));
	if (!text || !tab)
		return 1;
	for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
		generic.fill[c] = PREVIRT_FILL_GENERIC;

	native = median_run(n, &previrt_backend_native, 0, 0, 7);
	gen = median_run(n, &generic, 0, 0, 7);
	unsorted = median_run(n, &generic, 1, 1, 7);
	pairwise = median_run(n, &generic, 1, 0, 3);

	printf("runtime patch time, %d sites (median of runs, plain stores as at boot):\n", n);
	printf("  native  (validate + keep):            %9.1f us total, %6.1f ns/site\n",
	       native / 1e3, native / n);
	printf("  generic (validate + dispatcher call): %9.1f us total, %6.1f ns/site\n",
	       gen / 1e3, gen / n);
	printf("  generic, table not in address order:  %9.1f us total, %6.1f ns/site"
	       " (memory lent: sorted overlap check)\n", unsorted / 1e3, unsorted / n);
	printf("  ... and no memory lent:               %9.1f us total, %6.1f ns/site"
	       " (overlap check compares all pairs)\n", pairwise / 1e3, pairwise / n);
	printf("  target < 1 ms for 3000 sites: native %s, generic %s (ratio to target %.3f / %.3f)\n",
	       native * 3000 / n < 1e6 ? "met" : "MISSED", gen * 3000 / n < 1e6 ? "met" : "MISSED",
	       native * 3000 / n / 1e6, gen * 3000 / n / 1e6);
	return 0;
}
