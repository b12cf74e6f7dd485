/* SPDX-License-Identifier: MIT */
/*
 * 64-bit division for the device models: the i386 kernel build of the
 * core has no libgcc, so '/' and '%' on uint64_t (which call __udivdi3 and
 * __umoddi3 there) are not used with guest-chosen divisors.
 */
#ifndef PREVIRT_DIV64_H
#define PREVIRT_DIV64_H

#include <stdint.h>

/* n / d with the remainder in *rem; d != 0. */
uint64_t previrt_div64(uint64_t n, uint64_t d, uint64_t *rem);

#endif /* PREVIRT_DIV64_H */
