// SPDX-License-Identifier: MIT
/*
 * Choosing the backend: "previrt=<name>" on the command line.
 *
 * The command line is a kernel's (words separated by blanks); the last
 * previrt= wins, as with most kernel parameters, so that a boot loader can
 * append an override.  An unknown name is an error that lists what this
 * build does know: booting a Xen kernel with the native backend because
 * of a typo would fail much later and much less clearly.
 *
 * A hypervisor's entry knows where the kernel runs and says so in
 * env->platform: then no previrt= means that backend (a Xen PV guest
 * booted without previrt= must not run native, at ring 3, where cli is
 * ignored), and previrt= naming another backend is an error, not a
 * choice: native hardware or L4 are not where a Xen entry runs.
 */
#include "internal.h"

#define NAME_MAX_LEN 31

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Copy the value of the last previrt= into name; 1 if found, -1 if malformed. */
static int find_option(const char *cmdline, char *name)
{
	static const char key[] = "previrt=";
	const char *p = cmdline;
	int found = 0;

	while (p && *p) {
		unsigned int i, n = 0;

		while (is_blank(*p))
			p++;
		for (i = 0; key[i] && p[i] == key[i]; i++)
			;
		if (!key[i]) {
			const char *v = p + i;

			while (v[n] && !is_blank(v[n]))
				n++;
			if (n == 0 || n > NAME_MAX_LEN)
				return -1;
			for (i = 0; i < n; i++) {
				char c = v[i];
				if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
				      c == '_' || c == '-'))
					return -1;
				name[i] = c;
			}
			name[n] = '\0';
			found = 1;
		}
		while (*p && !is_blank(*p))
			p++;
	}
	return found;
}

static int same_name(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

static const struct previrt_backend *lookup(const char *name, const struct previrt_env *env)
{
	const struct previrt_backend *const *b;

	if (env && env->platform && same_name(env->platform->name, name))
		return env->platform;
	if (env && env->extra_backends)
		for (b = env->extra_backends; *b; b++)
			if (same_name((*b)->name, name))
				return *b;
	for (b = previrt_builtin_backends; *b; b++)
		if (same_name((*b)->name, name))
			return *b;
	return 0;
}

static void list_known(const struct previrt_env *env)
{
	const struct previrt_backend *const *b;

	pv_log(env, "previrt: known backends:");
	if (env && env->platform)
		pv_log(env, " %s", env->platform->name);
	if (env && env->extra_backends)
		for (b = env->extra_backends; *b; b++)
			pv_log(env, " %s", (*b)->name);
	for (b = previrt_builtin_backends; *b; b++)
		pv_log(env, " %s", (*b)->name);
	pv_log(env, "\n");
}

const struct previrt_backend *previrt_select_backend(const char *cmdline,
						      const struct previrt_env *env, int *err)
{
	const struct previrt_backend *const *b;
	const struct previrt_backend *found;
	char name[NAME_MAX_LEN + 1];
	int r = find_option(cmdline, name);

	*err = PREVIRT_OK;
	if (r < 0) {
		pv_log(env, "previrt: malformed previrt= on the command line "
		       "(want previrt=<name>, name of a-z 0-9 _ -)\n");
		list_known(env);
		*err = PREVIRT_ECMDLINE;
		return 0;
	}
	if (r > 0) {
		found = lookup(name, env);
		if (!found) {
			pv_log(env, "previrt: unknown backend '%s' in previrt=\n", name);
			list_known(env);
			*err = PREVIRT_EBACKEND;
		} else if (env && env->platform && found != env->platform) {
			pv_log(env, "previrt: previrt=%s cannot run here: this kernel was entered "
			       "through the %s entry, only previrt=%s (or no previrt=) can\n",
			       name, env->platform->name, env->platform->name);
			*err = PREVIRT_EPLATFORM;
			found = 0;
		}
		return found;
	}
	if (env && env->platform)
		return env->platform;
	for (b = previrt_builtin_backends; *b; b++)
		if ((*b)->detect && (*b)->detect(env))
			return *b;
	found = lookup("native", env);
	if (!found) {
		pv_log(env, "previrt: no previrt= given and no backend detected its platform\n");
		*err = PREVIRT_EBACKEND;
	}
	return found;
}
