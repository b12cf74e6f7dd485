// SPDX-License-Identifier: MIT
/*
 * The guest's flags: one definition of what pushf shows and what popf
 * (and an iret that stays in the kernel) changes, for the C emulation and
 * for every backend's asm stub, which use the same masks from
 * previrt/x86-arch.h.  PV_FL_VIRTUAL (IF, AC) lives in the virtual CPU;
 * PV_FL_REAL goes into the real flags; the rest reads as zero (the header
 * says why each is left out).
 */
#include <previrt/vcpu.h>

unsigned long previrt_vcpu_flags_with(const struct previrt_vcpu *v, unsigned long real, int if_on)
{
	unsigned long f = (real & PV_FL_REAL) | PV_FL_FIXED;

	if (if_on)
		f |= PV_FL_IF;
	if (v->ac_flag)
		f |= PV_FL_AC;
	return f;
}

unsigned long previrt_vcpu_flags(const struct previrt_vcpu *v, unsigned long real)
{
	return previrt_vcpu_flags_with(v, real, v->if_flag);
}

unsigned long previrt_vcpu_load_flags(struct previrt_vcpu *v, unsigned long real,
				      unsigned long value, unsigned int size)
{
	/* a 16-bit popf writes the low half only: AC and ID stay */
	unsigned long width = size >= 4 ? ~0UL : 0xffffUL;
	unsigned long take = PV_FL_REAL & width;

	v->if_flag = !!(value & PV_FL_IF);
	if (size >= 4)
		v->ac_flag = !!(value & PV_FL_AC);
	return (real & ~take) | (value & take);
}
