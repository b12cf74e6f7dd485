/* SPDX-License-Identifier: MIT */
/* The X.2 ia32 system-call bindings (see l4-syscall.h for the registers). */
#include "l4-syscall.h"

#if !defined(__i386__)
#error "the L4 system-call bindings are ia32 only"
#endif

int l4_sys_init(struct l4_sys *sys, struct l4_kip *kip)
{
	l4_word_t base, version, flags, id;
	int rc;

	__asm__ volatile("lock; nop" : "=a"(base), "=c"(version), "=d"(flags), "=S"(id));
	(void)version;
	(void)flags;
	(void)id;
	sys->kip = (const void *)base;
	rc = l4_kip_parse(sys->kip, L4_KIP_SIZE, kip);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < L4_SYS_COUNT; i++)
		sys->entry[i] = base + kip->syscall[i];
	__asm__ volatile("movl %%gs:0, %0" : "=r"(sys->utcb));
	return 0;
}

l4_word_t l4_sys_ipc(const struct l4_sys *sys, l4_word_t to, l4_word_t from,
		     l4_word_t timeouts, const struct l4_msg *snd, struct l4_msg *rcv,
		     l4_word_t *sender)
{
	l4_word_t *utcb = sys->utcb;
	l4_word_t eax = to, ecx = timeouts, edx = from, esi = 0, edi = (l4_word_t)utcb;
	l4_word_t ebx = sys->entry[L4_SYS_IPC];

	if (to != L4_NILTHREAD && snd) {
		unsigned int words = 1 + l4_tag_untyped(snd->mr[0]) + l4_tag_typed(snd->mr[0]);

		for (unsigned int i = 1; i < words && i < L4_MSG_MAX_MRS; i++)
			utcb[i] = snd->mr[i];
		esi = snd->mr[0];
	}
	/* ebp carries MR2 out of the kernel: saved around the call by hand. */
	__asm__ volatile("pushl %%ebp\n\t"
			 "call *%%ebx\n\t"
			 "movl %%ebp, %%ecx\n\t"
			 "popl %%ebp"
			 : "+a"(eax), "+b"(ebx), "+c"(ecx), "+d"(edx), "+S"(esi), "+D"(edi)
			 :: "memory", "cc");
	if (sender)
		*sender = eax;
	if (from != L4_NILTHREAD && rcv) {
		unsigned int words = 1 + l4_tag_untyped(esi) + l4_tag_typed(esi);

		rcv->mr[0] = esi;
		rcv->mr[1] = ebx;
		rcv->mr[2] = ecx;
		for (unsigned int i = 3; i < words && i < L4_MSG_MAX_MRS; i++)
			rcv->mr[i] = utcb[i];
	}
	return esi;
}

void l4_sys_unmap(const struct l4_sys *sys, l4_word_t *fpages, unsigned int count, int flush)
{
	l4_word_t *utcb = sys->utcb;
	l4_word_t eax = l4_unmap_control(count, flush), esi = fpages[0], edi = (l4_word_t)utcb;
	l4_word_t ecx = sys->entry[L4_SYS_UNMAP];

	for (unsigned int i = 1; i < count; i++)
		utcb[i] = fpages[i];
	__asm__ volatile("pushl %%ebp\n\t"
			 "call *%%ecx\n\t"
			 "popl %%ebp"
			 : "+a"(eax), "+c"(ecx), "+S"(esi), "+D"(edi)
			 :: "ebx", "edx", "memory", "cc");
	fpages[0] = esi;
	for (unsigned int i = 1; i < count; i++)
		fpages[i] = utcb[i];
}

/* l4-sysregs-ia32.S: the calls that need every general register. */
l4_word_t l4_sys_call5(l4_word_t entry, l4_word_t eax, l4_word_t ecx, l4_word_t edx,
		       l4_word_t esi, l4_word_t edi);
l4_word_t l4_sys_exregs_raw(l4_word_t entry, l4_word_t dest, struct l4_exregs *r);

l4_word_t l4_sys_thread_control(const struct l4_sys *sys, l4_word_t dest, l4_word_t space,
				l4_word_t scheduler, l4_word_t pager, l4_word_t utcb)
{
	return l4_sys_call5(sys->entry[L4_SYS_THREAD_CONTROL], dest, pager, scheduler, space,
			    utcb);
}

l4_word_t l4_sys_space_control(const struct l4_sys *sys, l4_word_t space, l4_word_t control,
			       l4_word_t kip_area, l4_word_t utcb_area, l4_word_t redirector)
{
	return l4_sys_call5(sys->entry[L4_SYS_SPACE_CONTROL], space, control, kip_area,
			    utcb_area, redirector);
}

int l4_sys_exregs(const struct l4_sys *sys, l4_word_t dest, struct l4_exregs *r)
{
	return l4_sys_exregs_raw(sys->entry[L4_SYS_EXCHANGE_REGISTERS], dest, r) == L4_NILTHREAD
		       ? -1 : 0;
}

l4_word_t l4_sys_set_priority(const struct l4_sys *sys, l4_word_t dest, l4_word_t prio)
{
	return l4_sys_call5(sys->entry[L4_SYS_SCHEDULE], dest, prio, ~0u, ~0u, ~0u);
}

uint64_t l4_sys_clock(const struct l4_sys *sys)
{
	uint64_t us;
	l4_word_t entry = sys->entry[L4_SYS_SYSTEM_CLOCK];

	__asm__ volatile("call *%%ecx" : "=A"(us), "+c"(entry) :: "esi", "edi", "memory", "cc");
	return us;
}
