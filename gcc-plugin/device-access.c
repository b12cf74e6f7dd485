// SPDX-License-Identifier: MIT
/*
 * Device moves. An accessor (readl, outb, ...) is all device access by
 * where it is, but only its moves can be routed: the runtime's decoder
 * knows mov and movzx/movsx as MMIO loads and stores, nothing else. A fence
 * (lfence, mfence), a register move or a nop in an accessor is no access
 * at all; a read-modify-write of device memory is one previrt cannot route.
 */
#include <string.h>

#include "device-access.h"

static int in_set(char c, const char *set)
{
	return c && strchr(set, c) != NULL;
}

int pv_is_device_move(const char *stmt)
{
	size_t n = strcspn(stmt, " \t");
	const char *s = stmt;

	if (n < 3 || strncmp(s, "mov", 3) != 0)
		return 0;
	s += 3;
	n -= 3;
	/* mov, movb/w/l/q */
	if (n == 0 || (n == 1 && in_set(s[0], "bwlq")))
		return 1;
	/* movabs (the moffs forms), movabsb/w/l/q */
	if (strncmp(s, "abs", 3) == 0 && (n == 3 || (n == 4 && in_set(s[3], "bwlq"))))
		return 1;
	/* movzx, movsx, movzbl, movswq ... but not the string moves movsb/movsl/movsq */
	if ((s[0] == 'z' || s[0] == 's') &&
	    ((n == 2 && s[1] == 'x') ||
	     (n == 3 && in_set(s[1], "bw") && in_set(s[2], "wlq") && s[1] != s[2])))
		return 1;
	return 0;
}
