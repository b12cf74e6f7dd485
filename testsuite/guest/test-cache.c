/* SPDX-License-Identifier: MIT */
/*
 * wbinvd writes back and invalidates the caches: memory must hold what was
 * stored before it, and the TLB and page tables must be untouched by it.
 */
#include "cpu.h"
#include "tap.h"
#include "tests.h"

static volatile uint64_t cached;

void test_cache(void)
{
	tap_case("cache");
	cached = 0x5ca1ab1e;
	uint64_t cr3 = cpu_read_cr3();
	cpu_wbinvd();
	tap_eq(cached, 0x5ca1ab1e, "a store before wbinvd is still there after it");
	tap_eq(cpu_read_cr3(), cr3, "wbinvd leaves CR3 alone");
}
