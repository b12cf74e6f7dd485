// SPDX-License-Identifier: MIT
/*
 * The kernel's ways in and out of user mode, as the CPU does them: iret,
 * sysret, syscall, sysenter and sysexit computed against the virtual CPU
 * (SDM vol. 2 "IRET", "SYSRET", "SYSCALL", "SYSENTER", "SYSEXIT"; APM
 * vol. 3).  The result says where execution goes
 * and with which flags and selectors; the backend makes the transfer, the
 * one thing that differs per hypervisor (a hypercall to change modes on
 * Xen, a gate through the VMM thread on L4).
 */
#include <previrt/vcpu.h>

static uint64_t msr_or_zero(const struct previrt_vcpu *v, uint32_t index)
{
	uint64_t value;

	return previrt_vcpu_get_msr(v, index, &value) ? 0 : value;
}

static unsigned long word(unsigned long a, unsigned int size)
{
	return (unsigned long)previrt_mem_read(a, size);
}

int previrt_kret_iret(struct previrt_vcpu *v, unsigned long sp, unsigned int size,
		      unsigned long real_flags, struct previrt_kret *k)
{
	unsigned long fl;

	if (size != 4 && size != 8)
		return -1;	/* 16-bit iret: not modelled */
	k->ip = word(sp, size);
	k->cs = (unsigned int)word(sp + size, size) & 0xffff;
	fl = word(sp + 2 * size, size);
	k->to_user = (k->cs & PV_SEL_RPL) > v->cpl;
	/* long mode always pops ss:rsp; 32-bit mode only on a change of privilege */
	if (size == 8 || k->to_user) {
		k->sp = word(sp + 3 * size, size);
		k->ss = (unsigned int)word(sp + 4 * size, size) & 0xffff;
		k->popped = 5 * size;
	} else {
		k->sp = sp + 3 * size;
		k->ss = 0;
		k->popped = 3 * size;
	}
	if (k->to_user) {
		/* user code runs natively: it owns its flags; IF is always on there */
		v->if_flag = 1;
		v->ac_flag = !!(fl & PV_FL_AC);
		v->cpl = k->cs & PV_SEL_RPL;
		k->flags = (fl & PV_FL_USER) | PV_FL_FIXED;
	} else {
		k->flags = previrt_vcpu_load_flags(v, real_flags, fl, size);
	}
	return 0;
}

void previrt_kret_sysret(struct previrt_vcpu *v, unsigned long rcx, unsigned long r11,
			 unsigned int size, struct previrt_kret *k)
{
	unsigned int base = (unsigned int)(msr_or_zero(v, PV_MSR_STAR) >> 48) & 0xffff;

	/* sysretq: cs = STAR[63:48] + 16, ss = + 8; the 32-bit form cs = STAR[63:48] */
	k->cs = (size == 8 ? base + 16 : base) | 3;
	k->ss = (base + 8) | 3;
	k->ip = size == 8 ? rcx : (uint32_t)rcx;
	k->flags = (r11 & PV_FL_USER) | PV_FL_FIXED;
	k->sp = 0;		/* unchanged: sysret leaves the stack pointer alone */
	k->popped = 0;
	k->to_user = 1;
	v->if_flag = !!(k->flags & PV_FL_IF);
	v->ac_flag = !!(k->flags & PV_FL_AC);
	v->cpl = 3;
}

void previrt_kret_syscall(struct previrt_vcpu *v, unsigned long user_ip, unsigned long user_flags,
			  struct previrt_kret *k)
{
	unsigned int base = (unsigned int)(msr_or_zero(v, PV_MSR_STAR) >> 32) & 0xffff;
	uint64_t fmask = msr_or_zero(v, PV_MSR_FMASK);
	unsigned long fl = user_flags & ~(unsigned long)fmask;

	(void)user_ip;	/* the CPU leaves it in rcx, and the flags in r11 */
	k->cs = base;
	k->ss = base + 8;
	k->ip = (unsigned long)msr_or_zero(v, PV_MSR_LSTAR);
	k->sp = 0;
	k->popped = 0;
	k->to_user = 0;
	v->cpl = 0;
	v->if_flag = !!(fl & PV_FL_IF);
	v->ac_flag = !!(fl & PV_FL_AC);
	k->flags = fl;
}

void previrt_kret_sysenter(struct previrt_vcpu *v, unsigned long user_flags, struct previrt_kret *k)
{
	unsigned int cs = (unsigned int)msr_or_zero(v, PV_MSR_SYSENTER_CS) & 0xfffc;

	k->cs = cs;
	k->ss = cs + 8;
	k->ip = (unsigned long)msr_or_zero(v, PV_MSR_SYSENTER_EIP);
	k->sp = (unsigned long)msr_or_zero(v, PV_MSR_SYSENTER_ESP);
	k->popped = 0;
	k->to_user = 0;
	/* sysenter clears IF, VM and RF; the rest of the flags stay */
	k->flags = user_flags & ~(PV_FL_IF | PV_FL_VM | PV_FL_RF);
	v->if_flag = 0;
	v->cpl = 0;
}

void previrt_kret_sysexit(struct previrt_vcpu *v, unsigned long rcx, unsigned long rdx,
			  unsigned int size, unsigned long real_flags, struct previrt_kret *k)
{
	unsigned int cs = (unsigned int)msr_or_zero(v, PV_MSR_SYSENTER_CS) & 0xfffc;

	/* 32-bit sysexit: cs + 16, ss + 24; the REX.W form (to 64-bit code): + 32, + 40 */
	k->cs = (size == 8 ? cs + 32 : cs + 16) | 3;
	k->ss = (size == 8 ? cs + 40 : cs + 24) | 3;
	k->ip = size == 8 ? rdx : (uint32_t)rdx;
	k->sp = size == 8 ? rcx : (uint32_t)rcx;
	k->popped = 0;
	k->to_user = 1;
	/* the flags are not loaded: user mode runs with the kernel's, IF as it is */
	k->flags = (real_flags & PV_FL_USER) | PV_FL_FIXED | (v->if_flag ? PV_FL_IF : 0);
	v->cpl = 3;
}
