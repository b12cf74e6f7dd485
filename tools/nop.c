/* SPDX-License-Identifier: MIT */
/*
 * Is this instruction padding?
 *
 * gas fills ".nops N" with the longest no-ops the target allows: nopl and
 * nopw with address forms, "cs nopw" and "data16 cs nopw" for the longest
 * ones on x86-64; on i386 it uses "lea 0x0(%esi,%eiz,1),%esi" and kin,
 * which compute a register into itself. Anything else in a sled after the
 * instruction would run natively and change something, so the audit must
 * not take it for padding.
 */
#include "config.h"

#include <string.h>

#include "audit.h"

static bool is_prefix(const char *tok, size_t n)
{
	static const char *const prefixes[] = {
		"data16", "data32", "addr16", "addr32", "cs", "ds", "es", "ss",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strlen(prefixes[i]) == n && memcmp(tok, prefixes[i], n) == 0)
			return true;
	return n >= 3 && memcmp(tok, "rex", 3) == 0;
}

/*
 * A register copied onto itself: "%esi,%esi". In 64-bit code a 32-bit
 * destination zero-extends, so only full-width registers count there.
 */
static bool same_register(const char *ops, int bits)
{
	const char *comma = strchr(ops, ',');
	size_t n;

	if (!comma || ops[0] != '%')
		return false;
	n = (size_t)(comma - ops);
	if (strlen(comma + 1) != n || memcmp(ops, comma + 1, n) != 0)
		return false;
	return bits == 32 || ops[1] == 'r';
}

/*
 * "lea 0x0(%esi),%esi", "lea 0x0(%esi,%eiz,1),%esi", "lea (%esi),%esi":
 * zero displacement, no real index, destination equal to the base.
 */
static bool lea_into_itself(const char *ops, int bits)
{
	const char *p = ops, *base, *dest;
	size_t n;

	if (strncmp(p, "0x0", 3) == 0)
		p += 3;
	if (*p++ != '(' || *p != '%')
		return false;
	base = p;
	n = strcspn(p, ",)");
	p += n;
	if (*p == ',') {
		if (strncmp(p, ",%eiz,1)", 8) != 0 && strncmp(p, ",%riz,1)", 8) != 0)
			return false;
		p += 7;
	}
	if (*p++ != ')' || *p++ != ',')
		return false;
	dest = p;
	if (strlen(dest) != n || memcmp(base, dest, n) != 0)
		return false;
	return bits == 32 || base[1] == 'r';
}

bool pv_is_nop(const char *text, int bits)
{
	const char *p = text, *ops;
	size_t n;

	for (;;) {
		n = strcspn(p, " ");
		if (!is_prefix(p, n) || p[n] != ' ')
			break;
		p += n + 1;
	}
	ops = p[n] == ' ' ? p + n + 1 : p + n;

	if ((n == 3 && strncmp(p, "nop", 3) == 0) ||
	    (n == 4 && strncmp(p, "nop", 3) == 0 && strchr("wlq", p[3])))
		return true;
	if (n == 4 && strncmp(p, "xchg", 4) == 0)
		return strcmp(ops, "%ax,%ax") == 0 ||
		       (bits == 32 && same_register(ops, bits));
	if (n == 3 && strncmp(p, "lea", 3) == 0)
		return lea_into_itself(ops, bits);
	if (n == 3 && strncmp(p, "mov", 3) == 0)
		return same_register(ops, bits);
	return false;
}
