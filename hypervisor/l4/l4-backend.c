/* SPDX-License-Identifier: MIT */
/* The L4 backend: the virtual CPU's hooks as L4 primitives (see l4-backend.h). */
#include "l4-backend.h"
#include "l4-fpage.h"
#include "l4-vmm-proto.h"

struct l4_vmm l4_vmm;

/* One call to the monitor: send msg, receive its answer into msg. */
static int monitor_call(struct l4_msg *msg)
{
	l4_word_t from, tag;

	tag = l4_sys_ipc(&l4_vmm.sys, l4_vmm.monitor, l4_vmm.monitor,
			 l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER), msg, msg, &from);
	if (l4_tag_failed(tag) || from != l4_vmm.monitor) {
		l4_vmm.monitor_errors++;
		return -1;
	}
	return 0;
}

static uint32_t l4_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	struct l4_msg msg;
	uint32_t value;

	(void)v;
	l4_vmm_port_in(&msg, port, size);
	if (monitor_call(&msg) || l4_vmm_reply_decode(&msg, &value))
		return 0xffffffffu;	/* as from an absent device */
	return value;
}

static void l4_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size,
			uint32_t value)
{
	struct l4_msg msg;

	(void)v;
	l4_vmm_port_out(&msg, port, size, value);
	monitor_call(&msg);
}

/*
 * hlt with interrupts on: block in a receive from the monitor, which sends
 * when it has an event for the guest; the timeout bounds the wait.
 */
static void l4_idle(struct previrt_vcpu *v)
{
	struct l4_msg msg;
	l4_word_t from;

	(void)v;
	l4_sys_ipc(&l4_vmm.sys, L4_NILTHREAD, l4_vmm.monitor,
		   l4_timeouts(L4_TIME_NEVER, l4_time_period(L4_VMM_IDLE_US)), 0, &msg, &from);
}

int l4_vmm_user_half(l4_word_t *fpages, unsigned int max)
{
	return l4_fpage_cover(0, L4_VMM_KERNEL_BASE, L4_FPAGE_RWX, fpages, max);
}

/* Flush [start, end) from this task: the pager maps back what is still valid. */
static void flush_range(l4_word_t start, l4_word_t end)
{
	l4_word_t fpages[L4_MSG_MAX_MRS];
	int n = l4_fpage_cover(start, end, L4_FPAGE_RWX, fpages, L4_MSG_MAX_MRS);

	if (n <= 0 || n > L4_MSG_MAX_MRS)
		return;		/* page-aligned ranges below 4 GiB need at most 40 */
	l4_sys_unmap(&l4_vmm.sys, fpages, (unsigned int)n, 1);
	l4_vmm.unmaps++;
}

static int l4_init(const struct previrt_env *env)
{
	(void)env;
	if (l4_sys_init(&l4_vmm.sys, &l4_vmm.kip))
		return -1;
	l4_vmm.monitor = l4_sys_tcr(&l4_vmm.sys, L4_TCR_PAGER);
	l4_vmm.cpu.port_in = l4_port_in;
	l4_vmm.cpu.port_out = l4_port_out;
	l4_vmm.cpu.idle = l4_idle;
	return 0;
}

static int l4_handle(struct previrt_regs *regs, const struct pv_x86_insn *insn,
		     const struct previrt_site *site)
{
	int rc = previrt_vcpu_emulate(&l4_vmm.cpu, regs, insn, site);

	if (rc)
		return rc;
	if (insn->op == PV_OP_MOV_TO_CR && insn->reg == 3)
		flush_range(0, L4_VMM_KERNEL_BASE);
	else if (insn->op == PV_OP_INVLPG && l4_vmm.cpu.last_invlpg < L4_VMM_KERNEL_BASE) {
		l4_word_t page = (l4_word_t)l4_vmm.cpu.last_invlpg & ~0xfffu;

		flush_range(page, page + 0x1000u);
	}
	return 0;
}

#define EMULATED	PREVIRT_FILL_GENERIC
/*
 * Every class the virtual CPU emulates goes through the dispatcher. The
 * rest (segment loads, far transfers, kernel returns, lar/lsl/verr/verw,
 * FSGSBASE, xsaves, VMX) need the guest's descriptor tables interpreted
 * against the task's real selectors, which this backend does not do yet:
 * they are refused, so a guest that uses them is told at boot.
 */
const struct previrt_backend previrt_backend_l4 = {
	.name = "l4",
	.detect = 0,		/* only by name: "lock; nop" would #UD natively */
	.init = l4_init,
	.fill = {
		[PREVIRT_CLASS_CLI] = EMULATED, [PREVIRT_CLASS_STI] = EMULATED,
		[PREVIRT_CLASS_PUSHF] = EMULATED, [PREVIRT_CLASS_POPF] = EMULATED,
		[PREVIRT_CLASS_HLT] = EMULATED, [PREVIRT_CLASS_PIO] = EMULATED,
		[PREVIRT_CLASS_MMIO] = EMULATED, [PREVIRT_CLASS_CR] = EMULATED,
		[PREVIRT_CLASS_DR] = EMULATED, [PREVIRT_CLASS_DESC_LOAD] = EMULATED,
		[PREVIRT_CLASS_DESC_STORE] = EMULATED, [PREVIRT_CLASS_SEG_READ] = EMULATED,
		[PREVIRT_CLASS_TLB] = EMULATED, [PREVIRT_CLASS_CACHE] = EMULATED,
		[PREVIRT_CLASS_MSR] = EMULATED, [PREVIRT_CLASS_PMC] = EMULATED,
		[PREVIRT_CLASS_TSC] = EMULATED, [PREVIRT_CLASS_CPUID] = EMULATED,
		[PREVIRT_CLASS_SWAPGS] = EMULATED, [PREVIRT_CLASS_XCR] = EMULATED,
		[PREVIRT_CLASS_MWAIT] = EMULATED, [PREVIRT_CLASS_SMAP] = EMULATED,
	},
	.handle = l4_handle,
};
