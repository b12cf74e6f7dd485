// SPDX-License-Identifier: MIT
/*
 * Hosted builds only: how much extended state (SSE, AVX, ...) the
 * dispatcher must save around a handler written in ordinary C.  The
 * assembly reads pv_xsave_size: 0 means "no XSAVE enabled, use FXSAVE".
 * Kernel builds compile handlers with -mgeneral-regs-only instead.
 */
#include <cpuid.h>
#include "internal.h"

unsigned int pv_xsave_size __attribute__((visibility("hidden")));
/*
 * Nonzero: use XSAVEC, which skips components in their initial state
 * (on a machine with AMX, 8 KiB of tile data that user code rarely
 * touches); XRSTOR reads the compacted form it writes.
 */
unsigned int pv_xsave_compact __attribute__((visibility("hidden")));

__attribute__((constructor)) static void pv_xstate_init(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
		return;
	if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d) || b < 576)
		return;
	/* room for the area plus its 64-byte alignment */
	pv_xsave_size = b + 64;
	if (__get_cpuid_count(0xd, 1, &a, &b, &c, &d) && (a & 2))
		pv_xsave_compact = 1;
}
