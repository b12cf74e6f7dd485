// SPDX-License-Identifier: MIT
/*
 * xsetbv against the virtual XCR0, with the CPU's checks (SDM vol. 2
 * "XSETBV", vol. 1 13.3): #UD unless CR4.OSXSAVE; #GP(0) for an index
 * other than 0, for x87 state cleared, for AVX without SSE, or for a bit
 * the processor does not support.  The real XCR0 is the hypervisor's.
 */
#include <previrt/vcpu.h>

int previrt_xsetbv_check(const struct previrt_vcpu *v, uint32_t index, uint64_t value,
			 uint64_t supported)
{
	if (!(v->cr4 & PV_CR4_OSXSAVE))
		return PV_VEC_UD;
	if (index != 0 || !(value & PV_XCR0_X87) ||
	    ((value & PV_XCR0_AVX) && !(value & PV_XCR0_SSE)) || (value & ~supported))
		return PV_VEC_GP;
	return 0;
}
