// SPDX-License-Identifier: MIT
/*
 * The environment of a user-space program (hosted builds only): messages
 * to stderr, text written through mprotect, scratch memory from malloc,
 * trampoline pages placed near the program's text,
 * fatal errors abort, and the main program's executable segment as the
 * text bounds.
 *
 * The poke makes the pages read-write-execute only for the length of the
 * copy and puts them back to read-execute: text is read-execute in every
 * program this is meant for.  Processes whose policy forbids writable
 * text get an error from mprotect, and each site is refused, not patched.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "internal.h"

static void hosted_write(const char *s, unsigned long n, void *ctx)
{
	(void)ctx;
	fwrite(s, 1, n, stderr);
}

static int hosted_poke(void *dst, const void *src, unsigned long n, void *ctx)
{
	unsigned long page = (unsigned long)sysconf(_SC_PAGESIZE);
	unsigned long lo = (unsigned long)dst & ~(page - 1);
	unsigned long hi = ((unsigned long)dst + n + page - 1) & ~(page - 1);

	(void)ctx;
	if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC))
		return -1;
	memcpy(dst, src, n);
	return mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC) ? -1 : 0;
}

static void *hosted_alloc(unsigned long size, void *ctx)
{
	(void)ctx;
	return malloc(size);
}

static void hosted_release(void *p, unsigned long size, void *ctx)
{
	(void)size; (void)ctx;
	free(p);
}

/*
 * A page for trampolines within reach of a call rel32 from 'near': try
 * fixed addresses at growing distances below and above it, never
 * replacing an existing mapping.
 */
static void *hosted_exec_near(unsigned long near, unsigned long size, void *ctx)
{
	const unsigned long step = 1ul << 20, page = (unsigned long)sysconf(_SC_PAGESIZE);
	unsigned long d;

	(void)ctx;
	if (size > page)
		return NULL;
	for (d = step; d < (1ul << 30); d += step) {
		unsigned long tries[2] = { (near & ~(step - 1)) - d, (near & ~(step - 1)) + d };
		int i;

		for (i = 0; i < 2; i++) {
			void *p = mmap((void *)tries[i], page, PROT_READ | PROT_WRITE | PROT_EXEC,
				       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
			if (p == MAP_FAILED)
				continue;
			if ((unsigned long)p == tries[i])
				return p;
			munmap(p, page);	/* old kernels ignore the flag: not where asked */
		}
	}
	return NULL;
}

static void hosted_fatal(const char *why, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "previrt: fatal: %s", why);
	abort();
}

struct text_span {
	unsigned long lo, hi;
};

/* The first object dl_iterate_phdr reports is the main program. */
static int main_text(struct dl_phdr_info *info, size_t size, void *data)
{
	struct text_span *t = data;
	int i;

	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long lo, hi;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		lo = info->dlpi_addr + ph->p_vaddr;
		hi = lo + ph->p_memsz;
		if (!t->lo || lo < t->lo)
			t->lo = lo;
		if (hi > t->hi)
			t->hi = hi;
	}
	return 1;
}

void previrt_hosted_env(struct previrt_env *env)
{
	struct text_span t = { 0, 0 };

	memset(env, 0, sizeof(*env));
	env->write = hosted_write;
	env->poke = hosted_poke;
	env->fatal = hosted_fatal;
	env->alloc = hosted_alloc;
	env->release = hosted_release;
	env->exec_near = hosted_exec_near;
	dl_iterate_phdr(main_text, &t);
	env->text_lo = t.lo;
	env->text_hi = t.hi;
}
