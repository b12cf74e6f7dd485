/* SPDX-License-Identifier: MIT */
/* Which write breakpoint DR0-DR3 and DR7 describe (see l4-watch.h). */
#include "l4-watch.h"

#define DR7_RW_WRITE	1u

int l4_watch_decode(struct l4_watch *w, const unsigned long dr[8])
{
	unsigned long dr7 = dr[7];
	int ignored = 0;

	w->armed = 0;
	for (unsigned int i = 0; i < 4; i++) {
		/* LEN: 00 one byte, 01 two, 11 four, 10 eight (64-bit mode) */
		static const unsigned int bytes[4] = { 1, 2, 8, 4 };
		unsigned int rw = (dr7 >> (16 + 4 * i)) & 3, len = (dr7 >> (18 + 4 * i)) & 3;

		if (!((dr7 >> (2 * i)) & 3))
			continue;	/* neither L nor G */
		if (rw != DR7_RW_WRITE) {
			ignored = 1;
			continue;
		}
		if (!w->armed) {
			w->armed = 1;
			w->index = i;
			/* the CPU ignores the low address bits of a longer breakpoint */
			w->lo = (l4_word_t)dr[i] & ~(bytes[len] - 1);
			w->hi = w->lo + bytes[len] - 1;
		}
	}
	return ignored;
}

int l4_watch_page_protected(const struct l4_watch *w, l4_word_t va)
{
	return w->armed && (va & ~0xfffu) == (w->lo & ~0xfffu);
}
