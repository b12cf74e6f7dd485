// SPDX-License-Identifier: MIT
/* 64-bit division without libgcc (see previrt/div64.h). */
#include <previrt/div64.h>

/*
 * n / d with the remainder in *rem, d != 0, by shift and subtract: the
 * loop runs once per bit of the quotient, a few dozen times at most for
 * the values here (elapsed ns over a period or a count).
 */
uint64_t previrt_div64(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, bit = 1;

	if (n < d) {
		*rem = n;
		return 0;
	}
	/* align d's top bit under n's, without overflowing */
	while (!(d >> 63) && (d << 1) <= n) {
		d <<= 1;
		bit <<= 1;
	}
	for (;;) {
		if (n >= d) {
			n -= d;
			q |= bit;
		}
		if (bit == 1)
			break;
		d >>= 1;
		bit >>= 1;
	}
	*rem = n;
	return q;
}
