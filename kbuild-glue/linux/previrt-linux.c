// SPDX-License-Identifier: MIT
/*
 * The Linux side of previrt: "previrt=<backend>" on the kernel command line
 * patches every sled of the running kernel for that backend, once, from
 * parse_early_param() in setup_arch(): before any other CPU runs and before
 * the text is made read-only, which is what libprevirt requires.
 *
 * This file is compiled by previrt-kbuild with the exact flags Kbuild used
 * for init/main.o and linked into vmlinux next to libprevirt; no file of the
 * kernel tree is touched. The site table's bounds are the ones ld defines
 * for the orphan section previrt_sites.
 */
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/cache.h>
#include <asm/processor.h>
#include <asm/setup.h>
#include <asm/sections.h>
#include <asm/msr.h>

#include <previrt/runtime.h>

/*
 * libprevirt sorts the table to check sleds for overlap (4 bytes and a bit
 * per site); without memory it compares every pair, which costs a third of
 * a second at boot under QEMU for Linux's 3,000 sites. The memory is early
 * brk, the x86 allocator meant for setup_arch(): reserved at link time, used
 * as needed, the unused rest given back at the end of setup.
 */
#define PREVIRT_BRK_SIZE (128 * 1024)
RESERVE_BRK(previrt_sort, PREVIRT_BRK_SIZE);

static unsigned long previrt_brk_used __initdata;

static void * __init previrt_linux_alloc(unsigned long size, void *ctx)
{
	if (size > PREVIRT_BRK_SIZE - previrt_brk_used)
		return NULL;
	previrt_brk_used += ALIGN(size, 16);
	return extend_brk(size, 16);
}

static void __init previrt_linux_release(void *p, unsigned long size, void *ctx)
{
	/* brk only grows; what was taken stays with the kernel (a few KiB). */
}

static void __init previrt_linux_write(const char *s, unsigned long n, void *ctx)
{
	/* libprevirt writes whole lines or pieces of one: keep them together. */
	pr_cont("%.*s", (int)n, s);
}

static int __init previrt_linux_setup(char *arg)
{
	struct previrt_env env;
	struct previrt_stats st;
	unsigned long long t0, t1;
	unsigned int c;
	int ret;
	char line[512];
	int len;

	memset(&env, 0, sizeof(env));
	memset(&st, 0, sizeof(st));
	env.write = previrt_linux_write;
	env.alloc = previrt_linux_alloc;
	env.release = previrt_linux_release;
	/* Sleds live in the kernel's own text, init text included. */
	env.text_lo = (unsigned long)_text;
	env.text_hi = (unsigned long)_end;

	pr_info("previrt: patching for '%s'\n", arg ? arg : "");
	t0 = rdtsc_ordered();
	ret = previrt_start(boot_command_line, &env, __start_previrt_sites,
			    __stop_previrt_sites, &st);
	t1 = rdtsc_ordered();
	if (ret < 0) {
		pr_err("previrt: %s: error %d, kernel left as built\n", arg ? arg : "", ret);
		return 0;
	}

	len = scnprintf(line, sizeof(line), "%u sites:", st.sites);
	for (c = 1; c < PREVIRT_CLASS_COUNT; c++) {
		unsigned int n = st.kept_by_class[c] + st.patched_by_class[c] +
				 st.refused_by_class[c];

		if (n)
			len += scnprintf(line + len, sizeof(line) - len, " %s=%u",
					 previrt_class_name(c), n);
	}
	pr_info("previrt: backend %s: %s; kept %u, patched %u, refused %u, %llu cycles\n",
		arg, line, st.kept, st.patched, st.refused, t1 - t0);
	return 0;
}
early_param("previrt", previrt_linux_setup);
