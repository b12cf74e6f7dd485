/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls of a 64-bit PV guest kernel.
 *
 * A PV kernel runs in ring 3, and Xen takes a "syscall" executed in guest
 * kernel mode as a hypercall: number in %rax, arguments in %rdi, %rsi,
 * %rdx, %r10, %r8, result in %rax; %rcx and %r11 are lost to the syscall
 * instruction itself.  That is all the hypercall page would do for us, so
 * we issue the instruction inline and need neither the page nor the
 * XEN_ELFNOTE_HYPERCALL_PAGE note (which the guest image does not carry).
 *
 * The argument registers are declared as clobbered too: Xen promises
 * nothing about them on return (debug builds scribble over them).
 *
 * Numbers and structures come from Xen's public headers (libxen-dev).
 */
#ifndef PREVIRT_XEN_HYPERCALL_H
#define PREVIRT_XEN_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/physdev.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <xen/callback.h>

static inline long xen_hypercall5(unsigned long nr, unsigned long a1, unsigned long a2,
				  unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			 : "0"(nr)
			 : "rcx", "r11", "memory");
	return ret;
}

#define xen_hypercall1(nr, a)		xen_hypercall5(nr, (unsigned long)(a), 0, 0, 0, 0)
#define xen_hypercall2(nr, a, b)	xen_hypercall5(nr, (unsigned long)(a), (unsigned long)(b), 0, 0, 0)
#define xen_hypercall3(nr, a, b, c)	\
	xen_hypercall5(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0)

static inline long xen_sched_op(int cmd, void *arg)
{
	return xen_hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long xen_physdev_op(int cmd, void *arg)
{
	return xen_hypercall2(__HYPERVISOR_physdev_op, cmd, arg);
}

static inline long xen_event_channel_op(int cmd, void *arg)
{
	return xen_hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long xen_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return xen_hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long xen_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{
	return xen_hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long xen_console_write(const char *s, unsigned long n)
{
	return xen_hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, n, s);
}

#endif /* PREVIRT_XEN_HYPERCALL_H */
