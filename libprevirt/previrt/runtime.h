/* SPDX-License-Identifier: MIT */
/*
 * libprevirt: what a kernel (or a user-space program) calls to have its
 * sleds rewritten for the platform it runs on.
 *
 * A kernel calls, once, early at boot, before its text becomes read-only
 * and before anything else runs:
 *
 *	static void con_write(const char *s, unsigned long n, void *ctx) { ... }
 *	static const struct previrt_env env = { .write = con_write };
 *	struct previrt_stats st;
 *
 *	if (previrt_boot(cmdline, &env, &st) < 0)
 *		panic();		// unknown previrt= name, backend init failed
 *
 * previrt_boot() reads "previrt=<name>" from the command line (when absent,
 * the backend of the platform the caller says it runs on, env->platform;
 * else the first built-in backend whose detect() recognises the platform,
 * else native), starts that backend, and patches the table the linker
 * built, __start_previrt_sites..__stop_previrt_sites.  Each site is
 * validated first; a site that is not exactly what its record says is
 * refused with a message naming it (record index, address, class, bytes,
 * reason), counted in st, and left byte for byte as it was.  On native
 * hardware a refused site still runs as the plugin left it, so that is
 * all; on a hypervisor backend it would misbehave, so there previrt_boot()
 * patches nothing at all and fails (PREVIRT_EREFUSED), and the caller must
 * stop.  A module's table is patched later with previrt_patch_table().
 *
 * Code that contains sleds and may be routed through the generic
 * dispatcher must not keep data below its stack pointer: the dispatcher is
 * entered with a "call", which writes 8 (4) bytes below %rsp.  Kernels
 * are built with -mno-red-zone anyway; user-space programs must be too
 * (the x86-64 SysV ABI otherwise lets leaf functions use 128 bytes there).
 *
 * libprevirt itself must never be compiled with the plugin: its own
 * rdtsc, cpuid and segment reads are the VMM's, and routing them to the
 * dispatcher would send the dispatcher into itself.
 *
 * Freestanding: this header and the kernel archive need no libc.
 */
#ifndef PREVIRT_RUNTIME_H
#define PREVIRT_RUNTIME_H

#include <stddef.h>
#include <previrt/abi.h>

#ifdef __cplusplus
extern "C" {
#endif

struct previrt_backend;

/* What the caller lends the runtime. */
struct previrt_env {
	/* Console output (required for messages; NULL: silent). */
	void (*write)(const char *s, unsigned long n, void *ctx);
	/*
	 * Write n bytes of text at dst.  NULL: plain stores, which is right
	 * for a kernel at boot.  A user-space program passes a hook that
	 * makes the page writable first (previrt_hosted_env() does).
	 * Returns 0, or nonzero when it could not write (the site is then
	 * refused and untouched).
	 */
	int (*poke)(void *dst, const void *src, unsigned long n, void *ctx);
	/*
	 * Fatal error in a handler at run time (an instruction the backend
	 * cannot emulate).  Must not return.  NULL: the runtime spins.
	 */
	void (*fatal)(const char *why, void *ctx);
	void *ctx;
	/*
	 * Where sleds may be: [text_lo, text_hi).  A record pointing
	 * elsewhere is refused as out of range.  Both 0: not checked.
	 */
	unsigned long text_lo, text_hi;
	/*
	 * Executable, writable memory within +-2 GiB of 'near', for a
	 * trampoline to the dispatcher when a sled's call cannot reach it
	 * (user-space programs using libprevirt.so).  NULL: such sites are
	 * refused.  Kernels link the runtime into their image and need none.
	 */
	void *(*exec_near)(unsigned long near, unsigned long size, void *ctx);
	/*
	 * Memory for sorting a table that is not in address order (4 bytes
	 * and a bit per site), given back at once.  NULL: such a table's
	 * overlap check compares every pair, which is slower but needs none.
	 */
	void *(*alloc)(unsigned long size, void *ctx);
	void (*release)(void *p, unsigned long size, void *ctx);
	/* More backends than the built-in ones (tests, out-of-tree); NULL-terminated. */
	const struct previrt_backend *const *extra_backends;
	/*
	 * The backend of the platform this kernel was entered on, set by a
	 * hypervisor's entry (hypervisor/<name>/), which knows where it is:
	 * no previrt= then means this backend, and previrt= naming any
	 * other is an error (PREVIRT_EPLATFORM), since no other backend can
	 * run there.  NULL: the command line and detect() decide.
	 */
	const struct previrt_backend *platform;
	/* Nonzero: one line per patched site as well, not only per refusal. */
	int verbose;
};

/* What was done, per class and in total. */
struct previrt_stats {
	unsigned int sites;	/* records seen */
	unsigned int kept;	/* left running as the native instruction */
	unsigned int patched;	/* rewritten (inline sequence or dispatcher call) */
	unsigned int refused;	/* invalid, unexpected bytes, or no way to fill */
	unsigned int kept_by_class[PREVIRT_CLASS_COUNT];
	unsigned int patched_by_class[PREVIRT_CLASS_COUNT];
	unsigned int refused_by_class[PREVIRT_CLASS_COUNT];	/* [0]: class unreadable */
};

/* previrt_boot() and previrt_patch_table() results */
#define PREVIRT_OK		0
#define PREVIRT_EBACKEND	(-1)	/* previrt= names no backend built in */
#define PREVIRT_EINIT		(-2)	/* the backend refused to start */
#define PREVIRT_ECMDLINE	(-3)	/* malformed previrt= value */
#define PREVIRT_ENOTBOOTED	(-4)	/* previrt_patch_table() before previrt_boot() */
#define PREVIRT_EREFUSED	(-5)	/* a site refused on a backend where that is fatal */
#define PREVIRT_EPLATFORM	(-6)	/* previrt= names a backend env->platform rules out */

/* A few words for a PREVIRT_* result, for an entry's last message. */
const char *previrt_strerror(int err);

/*
 * Choose the backend from the command line, start it, patch the table
 * [begin, end), and print the stats line (previrt_print_stats()) whatever
 * came of it once a backend was chosen.  Returns PREVIRT_OK (on a backend
 * whose refusals are not fatal, some sites may still have been refused:
 * see st->refused) or a negative PREVIRT_E* with a message written.  On
 * PREVIRT_EREFUSED every refused site has been reported and none patched
 * (see struct previrt_backend, refusal_fatal).  st may be NULL.
 */
int previrt_start(const char *cmdline, const struct previrt_env *env,
		  const struct previrt_site *begin, const struct previrt_site *end,
		  struct previrt_stats *st);

/*
 * The same for the table of the module that calls it.  Inline on purpose:
 * __start_previrt_sites/__stop_previrt_sites are defined by the linker in
 * each executable or shared object and are not exported, so they must be
 * named in the caller's module, not in libprevirt.so.
 */
static inline int previrt_boot(const char *cmdline, const struct previrt_env *env,
			       struct previrt_stats *st)
{
	return previrt_start(cmdline, env, __start_previrt_sites, __stop_previrt_sites, st);
}

/* Patch another table (a module's) for the backend previrt_boot() chose. */
int previrt_patch_table(const struct previrt_site *begin, const struct previrt_site *end,
			struct previrt_stats *st);

/* The backend in use after previrt_boot(), or NULL. */
const struct previrt_backend *previrt_current_backend(void);

/*
 * What previrt_start() did to the boot table (zero before it ran), for
 * code that runs after a hypervisor's entry started the runtime for it.
 */
const struct previrt_stats *previrt_boot_stats(void);

/*
 * Print st as "previrt: <backend>: N sites: P patched, K kept, R refused"
 * plus one line per class.
 */
void previrt_print_stats(const struct previrt_stats *st);

/*
 * Hosted builds only (libprevirt.la): an environment that writes to
 * stderr, pokes text with mprotect, lends memory with malloc, aborts on
 * fatal errors, and bounds sleds to the main program's executable segment.
 */
#ifndef PREVIRT_FREESTANDING
void previrt_hosted_env(struct previrt_env *env);
#endif

#ifdef __cplusplus
}
#endif
#endif /* PREVIRT_RUNTIME_H */
