// SPDX-License-Identifier: MIT
/*
 * previrt_start(): the one call a kernel makes at boot, and
 * previrt_patch_table() for tables that arrive later (modules).
 *
 * The chosen backend and the environment are remembered for later tables
 * and for the dispatcher's messages.  Nothing here allocates: a kernel
 * calls this before it has an allocator.
 */
#include "internal.h"

static const struct previrt_backend *current;
static const struct previrt_env *current_env;
static struct previrt_stats boot_stats;

const struct previrt_backend *previrt_current_backend(void)
{
	return current;
}

const char *previrt_strerror(int err)
{
	switch (err) {
	case PREVIRT_OK: return "no error";
	case PREVIRT_EBACKEND: return "previrt= names no backend of this build";
	case PREVIRT_EINIT: return "the backend refused to start";
	case PREVIRT_ECMDLINE: return "malformed previrt=";
	case PREVIRT_ENOTBOOTED: return "the runtime was not started";
	case PREVIRT_EREFUSED: return "sites were refused, and that is fatal on this backend";
	case PREVIRT_EPLATFORM: return "previrt= names a backend that cannot run here";
	default: return "unknown error";
	}
}

const struct previrt_stats *previrt_boot_stats(void)
{
	return &boot_stats;
}

static void print_stats(const struct previrt_backend *b, const struct previrt_env *env,
			const struct previrt_stats *st)
{
	unsigned int c;

	pv_log(env, "previrt: %s: %u sites: %u patched, %u kept, %u refused\n",
	       b ? b->name : "(none)", st->sites, st->patched, st->kept, st->refused);
	for (c = 0; c < PREVIRT_CLASS_COUNT; c++)
		if (st->patched_by_class[c] || st->kept_by_class[c] || st->refused_by_class[c])
			pv_log(env, "previrt:   %-10s patched %u kept %u refused %u\n",
			       previrt_class_name(c), st->patched_by_class[c],
			       st->kept_by_class[c], st->refused_by_class[c]);
}

int previrt_start(const char *cmdline, const struct previrt_env *env,
		  const struct previrt_site *begin, const struct previrt_site *end,
		  struct previrt_stats *st)
{
	struct previrt_stats local;
	const struct previrt_backend *b;
	int err;

	if (!st)
		st = &local;
	pv_zero(st, sizeof(*st));
	b = previrt_select_backend(cmdline, env, &err);
	if (!b)
		return err;
	if (b->init && b->init(env) < 0) {
		pv_log(env, "previrt: backend %s failed to start\n", b->name);
		return PREVIRT_EINIT;
	}
	current_env = env;
	pv_log(env, "previrt: backend %s, %lu sites\n", b->name,
	       begin && end > begin ? (unsigned long)(end - begin) : 0UL);
	err = previrt_patch_range(begin, end, b, env, st);
	boot_stats = *st;
	print_stats(b, env, st);
	if (err)
		return err;	/* the caller stops: no backend is in use */
	current = b;
	return PREVIRT_OK;
}

int previrt_patch_table(const struct previrt_site *begin, const struct previrt_site *end,
			struct previrt_stats *st)
{
	struct previrt_stats local;
	int err;

	if (!current) {
		pv_log(current_env, "previrt: a table was handed over before previrt_boot()\n");
		return PREVIRT_ENOTBOOTED;
	}
	if (!st)
		st = &local;
	pv_zero(st, sizeof(*st));
	err = previrt_patch_range(begin, end, current, current_env, st);
	previrt_print_stats(st);
	return err;
}

void previrt_print_stats(const struct previrt_stats *st)
{
	print_stats(current, current_env, st);
}
