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

const struct previrt_backend *previrt_current_backend(void)
{
	return current;
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
	current = b;
	current_env = env;
	pv_log(env, "previrt: backend %s, %lu sites\n", b->name,
	       begin && end > begin ? (unsigned long)(end - begin) : 0UL);
	previrt_patch_range(begin, end, b, env, st);
	previrt_print_stats(st);
	return PREVIRT_OK;
}

int previrt_patch_table(const struct previrt_site *begin, const struct previrt_site *end,
			struct previrt_stats *st)
{
	struct previrt_stats local;

	if (!current) {
		pv_log(current_env, "previrt: a table was handed over before previrt_boot()\n");
		return PREVIRT_ENOTBOOTED;
	}
	if (!st)
		st = &local;
	pv_zero(st, sizeof(*st));
	previrt_patch_range(begin, end, current, current_env, st);
	previrt_print_stats(st);
	return PREVIRT_OK;
}

void previrt_print_stats(const struct previrt_stats *st)
{
	const struct previrt_env *env = current_env;
	unsigned int c;

	pv_log(env, "previrt: %s: %u sites: %u patched, %u kept, %u refused\n",
	       current ? current->name : "(none)", st->sites, st->patched, st->kept, st->refused);
	for (c = 0; c < PREVIRT_CLASS_COUNT; c++)
		if (st->patched_by_class[c] || st->kept_by_class[c] || st->refused_by_class[c])
			pv_log(env, "previrt:   %-10s patched %u kept %u refused %u\n",
			       previrt_class_name(c), st->patched_by_class[c],
			       st->kept_by_class[c], st->refused_by_class[c]);
}
