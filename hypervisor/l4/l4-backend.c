/* SPDX-License-Identifier: MIT */
/* The L4 backend: the virtual CPU's hooks as L4 primitives (see l4-backend.h). */
#include "l4-backend.h"
#include "l4-fpage.h"
#include "l4-vmm-proto.h"
#include "l4-vtlb.h"

struct l4_vmm l4_vmm;
struct l4_gate l4_gate;
uint8_t l4_sti_slow;
volatile uint32_t l4_vmm_busy;

/* l4-sti.S addresses these directly. */
_Static_assert(__builtin_offsetof(struct l4_vmm, cpu.if_flag) == 0 &&
	       __builtin_offsetof(struct l4_vmm, cpu.ac_flag) == 4,
	       "l4-sti.S, l4-flags.S: if_flag and ac_flag at l4_vmm");
_Static_assert(__builtin_offsetof(struct l4_gate, op) == 0 &&
	       __builtin_offsetof(struct l4_gate, ip) == 4 && L4_GATE_INTERRUPT == 2,
	       "l4-sti.S: l4_gate layout");

#define LAPIC_PAGE	0xfee00000u

/* One call to the monitor from thread sys: send msg, receive its answer into msg. */
static int monitor_call_from(const struct l4_sys *sys, struct l4_msg *msg)
{
	l4_word_t from, tag;
	int vmm_thread = sys != &l4_vmm.sys;

	l4_board_wait(sys, vmm_thread, L4_WAIT_MONITOR, L4_BOARD_NO_TIMEOUT);
	tag = l4_sys_ipc(sys, l4_vmm.monitor, l4_vmm.monitor,
			 l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER), msg, msg, &from);
	l4_board_done(vmm_thread, vmm_thread ? L4_WAIT_RUNNING : L4_WAIT_HANDLER);
	if (l4_tag_failed(tag) || from != l4_vmm.monitor) {
		l4_vmm.monitor_errors++;
		return -1;
	}
	return 0;
}

void l4_vmm_console_write(const struct l4_sys *sys, const char *s, unsigned long n)
{
	struct l4_msg msg;

	while (n) {
		unsigned int took = l4_vmm_console(&msg, s, n > L4_VMM_CONSOLE_MAX ?
							      L4_VMM_CONSOLE_MAX : (unsigned int)n);
		if (monitor_call_from(sys, &msg))
			return;
		s += took;
		n -= took;
	}
}

void l4_vmm_console_hex(const struct l4_sys *sys, l4_word_t v)
{
	char b[10] = { '0', 'x' };

	for (int i = 0; i < 8; i++)
		b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	l4_vmm_console_write(sys, b, sizeof(b));
}

void l4_vmm_console_puts(const struct l4_sys *sys, const char *s)
{
	unsigned long n = 0;

	while (s[n])
		n++;
	l4_vmm_console_write(sys, s, n);
}

_Noreturn void l4_vmm_exit(const struct l4_sys *sys, unsigned int status)
{
	struct l4_msg msg;

	l4_vmm_shutdown(&msg, status);
	monitor_call_from(sys, &msg);
	for (;;)
		;	/* the monitor does not answer a shutdown */
}

_Noreturn void l4_vmm_die(const struct l4_sys *sys, const char *why)
{
	l4_vmm_console_puts(sys, "\nprevirt/l4: ");
	l4_vmm_console_puts(sys, why);
	l4_vmm_console_puts(sys, "\n");
	l4_vmm_exit(sys, 0x11);		/* the guest's "failed" exit status */
}

int l4_cmdline_word(const struct l4_start_info *si, const char *w)
{
	const char *start = (const char *)(uintptr_t)(L4_VMM_KERNEL_BASE + si->cmdline_gpa);

	for (const char *p = start; *p; p++) {
		unsigned int i = 0;

		if (p != start && p[-1] != ' ')
			continue;
		while (w[i] && p[i] == w[i])
			i++;
		if (!w[i] && (p[i] == ' ' || !p[i]))
			return 1;
	}
	return 0;
}

uint32_t l4_vmm_port_read(const struct l4_sys *sys, unsigned int port, unsigned int size)
{
	struct l4_msg msg;
	uint32_t value;

	l4_vmm_port_in(&msg, port, size);
	if (monitor_call_from(sys, &msg) || l4_vmm_reply_decode(&msg, &value))
		return 0xffffffffu;	/* as from an absent device */
	return value;
}

int l4_vmm_port_write(const struct l4_sys *sys, unsigned int port, unsigned int size,
		      uint32_t value)
{
	struct l4_msg msg;

	l4_vmm_port_out(&msg, port, size, value);
	return monitor_call_from(sys, &msg);
}

static uint32_t l4_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	(void)v;
	return l4_vmm_port_read(&l4_vmm.sys, port, size);
}

static void l4_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size,
			uint32_t value)
{
	(void)v;
	l4_vmm_port_write(&l4_vmm.sys, port, size, value);
}

uint64_t l4_vmm_now_ns(struct previrt_vlapic *a)
{
	(void)a;
	return l4_sys_clock(&l4_vmm.sys) * 1000u;
}

/*
 * hlt/mwait with interrupts on: sleep until the virtual APIC's timer is
 * due, at most L4_VMM_IDLE_US; the handler then delivers what fell due.
 *
 * The sleep is a call to the VMM thread, which answers it when its own
 * timed wait for our messages ends. It used to be a timed receive of our
 * own on the same deadline: then both threads' timeouts fell in one tick
 * of the L4 kernel's timer and, about one boot in eight, the VMM thread
 * was woken but never ran, with our gate message (l4_gate_hlt) waiting
 * for it (issue 19). With one timed wait between the two threads, our
 * wakeup is the VMM thread's answer, given by an IPC that also puts it
 * back into its receive: whatever we send next finds it waiting.
 */
static void l4_idle(struct previrt_vcpu *v)
{
	struct l4_msg msg;
	l4_word_t from;
	uint64_t now = l4_vmm_now_ns(0), due = previrt_vlapic_deadline(&l4_vmm.lapic);

	(void)v;
	if (due && due <= now && !l4_vmm.test_drop_wakeup)
		return;
	if (l4_vmm.start.magic != L4_START_MAGIC) {
		/* no VMM thread (not started by the monitor): sleep alone */
		uint64_t us = L4_VMM_IDLE_US;

		if (due && (due - now) / 1000u < us)
			us = (due - now) / 1000u + 1;
		l4_sys_ipc(&l4_vmm.sys, L4_NILTHREAD, l4_vmm.sys.utcb[L4_TCR_MY_GLOBAL_ID],
			   l4_timeouts(L4_TIME_NEVER, l4_time_period(us)), 0, &msg, &from);
		return;
	}
	msg.mr[0] = l4_tag(L4_VCPU_IDLE, 0, 0);
	l4_board_wait(&l4_vmm.sys, 0, L4_WAIT_WAKEUP, L4_BOARD_NO_TIMEOUT);
	l4_sys_ipc(&l4_vmm.sys, l4_vmm.start.vmm, l4_vmm.start.vmm,
		   l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER), &msg, &msg, &from);
	l4_board_done(0, L4_WAIT_HANDLER);
}

/* The guest-physical address of a device access at va, through its tables. */
static uint64_t device_gpa(unsigned long va)
{
	struct l4_vtlb_guest g = {
		.mem = (unsigned char *)(uintptr_t)L4_VMM_KERNEL_BASE,
		.size = l4_vmm.start.mem_size, .cr3 = l4_vmm.cpu.cr3,
		.cr0 = l4_vmm.cpu.cr0, .cr4 = l4_vmm.cpu.cr4,
	};
	struct l4_vtlb_result r;

	int rc = l4_vtlb_translate(&g, (l4_word_t)va, L4_FPAGE_R, &r);

	if (rc != L4_VTLB_MAP && rc != L4_VTLB_DEVICE)
		return ~0ull;
	return r.gpa | (va & 0xfffu);
}

static uint64_t l4_mmio_read(struct previrt_vcpu *v, unsigned long addr, unsigned int size)
{
	uint64_t gpa = device_gpa(addr);

	(void)v;
	if ((gpa & ~0xfffull) == LAPIC_PAGE && size == 4)
		return previrt_vlapic_read(&l4_vmm.lapic, (unsigned int)(gpa & 0xfffu));
	if (gpa < l4_vmm.start.mem_size)
		return previrt_mem_read(addr, size);
	return ~0ull;	/* no device there */
}

static void l4_mmio_write(struct previrt_vcpu *v, unsigned long addr, unsigned int size,
			  uint64_t value)
{
	uint64_t gpa = device_gpa(addr);

	(void)v;
	if ((gpa & ~0xfffull) == LAPIC_PAGE && size == 4) {
		previrt_vlapic_write(&l4_vmm.lapic, (unsigned int)(gpa & 0xfffu), (uint32_t)value);
		return;
	}
	if (gpa < l4_vmm.start.mem_size)
		previrt_mem_write(addr, size, value);
}

static void l4_cpuid(struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
		     uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	previrt_vcpu_cpuid_adjust(v, leaf, subleaf, a, b, c, d);
}

/* XCR0 bits the CPU supports (cpuid leaf 0xd), which xsetbv may set. */
static uint64_t xcr0_supported(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0xdu), "c"(0u));
	return (uint64_t)d << 32 | a;
}

int l4_vmm_user_half(l4_word_t *fpages, unsigned int max)
{
	return l4_fpage_cover(0, L4_VMM_KERNEL_BASE, L4_FPAGE_RWX, fpages, max);
}

void l4_vmm_flush_range(const struct l4_sys *sys, l4_word_t start, l4_word_t end)
{
	l4_word_t fpages[L4_MSG_MAX_MRS];
	int n = l4_fpage_cover(start, end, L4_FPAGE_RWX, fpages, L4_MSG_MAX_MRS);

	if (n <= 0 || n > L4_MSG_MAX_MRS)
		return;		/* page-aligned ranges below 4 GiB need at most 40 */
	l4_sys_unmap(sys, fpages, (unsigned int)n, 1);
	l4_vmm.unmaps++;
}

/* The APIC timer was reprogrammed: the VMM thread recomputes its timeout. */
static void timer_changed(struct previrt_vlapic *a)
{
	struct l4_msg msg;
	l4_word_t from;

	(void)a;
	if (l4_vmm.start.magic != L4_START_MAGIC)
		return;		/* no VMM thread (not started by the monitor) */
	msg.mr[0] = l4_tag(L4_VCPU_TIMER_CHANGED, 0, 0);
	/* if the VMM thread is busy it recomputes before it waits again */
	l4_sys_ipc(&l4_vmm.sys, l4_vmm.start.vmm, L4_NILTHREAD,
		   l4_timeouts(L4_TIME_ZERO, L4_TIME_NEVER), &msg, 0, &from);
}

/* L4's primitives for the virtual CPU (previrt/vmm.h). */
static const struct previrt_vmm_ops l4_ops = {
	.port_in = l4_port_in, .port_out = l4_port_out,
	.mmio_read = l4_mmio_read, .mmio_write = l4_mmio_write,
	.idle = l4_idle, .cpuid = l4_cpuid,
};

static int l4_init(const struct previrt_env *env)
{
	(void)env;
	if (l4_sys_init(&l4_vmm.sys, &l4_vmm.kip))
		return -1;
	/* started by previrt-l4-monitor: it said who it is; else our pager */
	if (l4_vmm.start.magic != L4_START_MAGIC)
		l4_vmm.monitor = l4_sys_tcr(&l4_vmm.sys, L4_TCR_PAGER);
	l4_vmm.cpu.ops = &l4_ops;
	l4_vmm.cpu.xcr0 = PV_XCR0_X87;	/* XCR0's reset value */
	l4_vmm.cpu.xcr0_supported = xcr0_supported();
	l4_vmm.lapic.now_ns = l4_vmm_now_ns;
	l4_vmm.lapic.timer_changed = timer_changed;
	previrt_vlapic_init(&l4_vmm.lapic, 0);
	return 0;
}

/*
 * Leave the dispatcher through one of the gates (l4-guest-entry.S): the
 * registers are restored as the guest had them, then a hlt (#GP at CPL 3) hands them all
 * to the VMM thread in an exception message, which finishes what cannot
 * be done from inside the guest's own kernel window.
 */
static void through_gate(struct previrt_regs *regs, enum l4_gate_op op)
{
	l4_gate.op = op;
	l4_gate.ip = regs->ip;
	regs->ip = (unsigned long)l4_gate_hlt;
}

/*
 * An exception at the instruction's own address in its sled, as the CPU
 * raises it: after the padding in a pad-first sled (mov/pop to %ss, sti,
 * popf: include/previrt/abi.h), not at the sled's start.
 */
static void raise_at_sled(struct previrt_regs *regs, const struct previrt_site *site,
			  unsigned int vector, l4_word_t error)
{
	regs->ip = (unsigned long)(previrt_site_sled(site) + previrt_site_insn_offset(site));
	l4_gate.vector = vector;
	l4_gate.error = error;
	through_gate(regs, L4_GATE_EXCEPTION);
}

/*
 * DR0-DR3 or DR7 written: the watched page (l4-watch.h) changes. The old
 * one gets its write access back, the new one loses it: both are flushed,
 * and the VMM thread maps them again as l4_watch_page_protected() says.
 */
static void watch_update(void)
{
	struct l4_watch *w = &l4_vmm.watch;
	int was = w->armed;
	l4_word_t old_page = w->lo & ~0xfffu;

	if (l4_watch_decode(w, l4_vmm.cpu.dr)) {
		l4_vmm_console_puts(&l4_vmm.sys, "previrt/l4: only write breakpoints are modelled; "
						  "DR7 enables another kind, ignored\n");
	}
	if (was)
		l4_vmm_flush_range(&l4_vmm.sys, old_page, old_page + 0x1000u);
	if (w->armed && (!was || (w->lo & ~0xfffu) != old_page))
		l4_vmm_flush_range(&l4_vmm.sys, w->lo & ~0xfffu, (w->lo & ~0xfffu) + 0x1000u);
}

/*
 * iret (32-bit), computed by libprevirt (vmm/kret.c): to the guest's
 * kernel here; to its user mode through the gate, where the VMM thread
 * moves the virtual CPU to CPL 3 once this task's kernel half is unmapped.
 */
static int emulate_iret(struct previrt_regs *regs, const struct pv_x86_insn *insn)
{
	struct previrt_vcpu *v = &l4_vmm.cpu;
	unsigned int cpl = v->cpl;
	struct previrt_kret k;

	if (insn->opsize != 4 || previrt_kret_iret(v, regs->sp, 4, regs->flags, &k))
		return -1;	/* 16-bit iret: not modelled */
	regs->flags = k.flags;
	regs->ip = k.ip;
	regs->sp += k.popped;
	if (k.to_user) {
		v->cpl = cpl;	/* the gate's to change (l4-vmm-thread.c) */
		l4_vmm.kernel_cs = l4_vmm.seg.cs;
		l4_vmm.kernel_ss = l4_vmm.seg.ss;
		l4_vmm.seg.cs = (uint16_t)k.cs;
		l4_vmm.seg.ss = (uint16_t)k.ss;
		l4_gate.sp = (l4_word_t)k.sp;
		through_gate(regs, L4_GATE_USER);
		return 0;
	}
	l4_vmm.seg.cs = (uint16_t)k.cs;
	return 0;
}

/* After an instruction that may have unmasked one: a virtual interrupt, if due. */
static void deliver_interrupts(struct previrt_regs *regs)
{
	if (!l4_vmm.cpu.if_flag || l4_vmm.cpu.cpl != 0 ||
	    !previrt_vlapic_pending(&l4_vmm.lapic))
		return;
	through_gate(regs, L4_GATE_INTERRUPT);
}

static int handle(struct previrt_vcpu *v, struct previrt_regs *regs,
		  const struct pv_x86_insn *insn, const struct previrt_site *site);

static int l4_handle(struct previrt_vcpu *v, struct previrt_regs *regs,
		     const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	int rc;

	l4_vmm_busy = 1;
	if (l4_board) {
		l4_board->vcpu.wait = L4_WAIT_HANDLER;
		l4_board->vcpu.events++;
	}
	rc = handle(v, regs, insn, site);
	/* a gate set up stays ours until the VMM thread takes it */
	if (l4_gate.op == L4_GATE_NONE)
		l4_vmm_busy = 0;
	if (l4_board)
		l4_board->vcpu.wait = l4_gate.op == L4_GATE_NONE ? L4_WAIT_RUNNING : L4_WAIT_GATE;
	return rc;
}

static int handle(struct previrt_vcpu *v, struct previrt_regs *regs,
		  const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	int rc;

	switch (insn->op) {
	case PV_OP_IRET:
		rc = emulate_iret(regs, insn);
		if (!rc && l4_gate.op == L4_GATE_NONE)
			deliver_interrupts(regs);
		return rc;
	default:
		break;
	}
	if (previrt_vseg_handles_op(insn->op)) {
		struct previrt_vseg_fault f;

		rc = previrt_vseg_emulate(v, &l4_vmm.seg, regs, insn, site, &f);
		if (rc == 1) {
			raise_at_sled(regs, site, f.vector, (l4_word_t)f.error);
			return 0;
		}
		return rc;
	}
	rc = previrt_vcpu_emulate(v, regs, insn, site);
	if (rc == PREVIRT_VCPU_FAULT) {
		/* xsetbv's checks (vmm/xcr.c): the real XCR0 is the L4 kernel's */
		raise_at_sled(regs, site, v->fault.vector, (l4_word_t)v->fault.error);
		return 0;
	}
	if (rc)
		return rc;
	switch (insn->op) {
	case PV_OP_MOV_TO_CR:
		if (insn->reg == 3)
			l4_vmm_flush_range(&l4_vmm.sys, 0, L4_VMM_KERNEL_BASE);
		break;
	case PV_OP_INVLPG:
		if (l4_vmm.cpu.last_invlpg < L4_VMM_KERNEL_BASE) {
			l4_word_t page = (l4_word_t)l4_vmm.cpu.last_invlpg & ~0xfffu;

			l4_vmm_flush_range(&l4_vmm.sys, page, page + 0x1000u);
		}
		break;
	case PV_OP_MOV_TO_DR:
		watch_update();
		break;
	case PV_OP_STI: case PV_OP_POPF: case PV_OP_HLT: case PV_OP_MWAIT:
	case PV_OP_MOV_LOAD: case PV_OP_MOV_STORE:
		deliver_interrupts(regs);
		break;
	default:
		break;
	}
	l4_sti_slow_update();
	return 0;
}

void l4_sti_slow_update(void)
{
	const struct previrt_vlapic *a = &l4_vmm.lapic;
	uint32_t irr = 0;

	for (unsigned int i = 0; i < 8; i++)
		irr |= a->regs[(PREVIRT_LAPIC_IRR + 0x10 * i) / 4];
	l4_sti_slow = (a->timer_armed && a->timer_period) || irr;
}

/* l4-sti.S, l4-flags.S */
extern char l4_sti_stub[], l4_pushf_stub[], l4_popf_stub[];

/*
 * The inline paths: cli becomes "movb $0, <the virtual IF>", one store,
 * no call (if_flag only ever holds 0 or 1, so its low byte is all of it);
 * sti a call of l4_sti_stub, which sets it and goes the slow way only when
 * a virtual interrupt may be due; pushfl/popfl calls of their stubs
 * (l4-flags.S), which do what vcpu.c's emulation does.
 */
_Static_assert(__builtin_offsetof(struct previrt_vcpu, if_flag) == 0 && sizeof(int) >= 1,
	       "the inline cli stores the low byte of if_flag");
static int l4_emit(const struct previrt_sled *sled, unsigned char *out)
{
	switch (sled->site->klass) {
	case PREVIRT_CLASS_CLI:
		return previrt_emit_store_byte(out, sled, &l4_vmm.cpu.if_flag, 0);
	case PREVIRT_CLASS_STI:
		return previrt_emit_call(out, sled, l4_sti_stub);
	case PREVIRT_CLASS_PUSHF: case PREVIRT_CLASS_POPF:
		/* pushfl/popfl, what i386 kernels use; the 16-bit forms are refused */
		if (sled->insn->opsize != 4)
			return -1;
		return previrt_emit_call(out, sled, sled->site->klass == PREVIRT_CLASS_PUSHF ?
						     l4_pushf_stub : l4_popf_stub);
	}
	return -1;
}

#define EMULATED	PREVIRT_FILL_GENERIC
/*
 * cli, sti, pushfl and popfl are inline (l4_emit); every other class the virtual CPU emulates goes
 * through the dispatcher, and so do segment loads and reads, far
 * transfers, lar/lsl/verr/verw (against the guest's own descriptor tables:
 * libprevirt's vseg.c) and iret. Refused, so that
 * a guest using them is told at boot: FSGSBASE (64-bit mode only), xsaves
 * (no supervisor state to give), VMX, sysret/sysexit (not modelled yet).
 */
const struct previrt_backend previrt_backend_l4 = {
	.name = "l4",
	.detect = 0,		/* only by name: "lock; nop" would #UD natively */
	.init = l4_init,
	.fill = {
		[PREVIRT_CLASS_CLI] = PREVIRT_FILL_INLINE, [PREVIRT_CLASS_STI] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_PUSHF] = PREVIRT_FILL_INLINE, [PREVIRT_CLASS_POPF] = PREVIRT_FILL_INLINE,
		[PREVIRT_CLASS_HLT] = EMULATED, [PREVIRT_CLASS_PIO] = EMULATED,
		[PREVIRT_CLASS_MMIO] = EMULATED, [PREVIRT_CLASS_CR] = EMULATED,
		[PREVIRT_CLASS_DR] = EMULATED, [PREVIRT_CLASS_DESC_LOAD] = EMULATED,
		[PREVIRT_CLASS_DESC_STORE] = EMULATED, [PREVIRT_CLASS_SEG_READ] = EMULATED,
		[PREVIRT_CLASS_SEG_WRITE] = EMULATED, [PREVIRT_CLASS_FAR_XFER] = EMULATED,
		[PREVIRT_CLASS_SEG_CHECK] = EMULATED, [PREVIRT_CLASS_KRET] = EMULATED,
		[PREVIRT_CLASS_TLB] = EMULATED, [PREVIRT_CLASS_CACHE] = EMULATED,
		[PREVIRT_CLASS_MSR] = EMULATED, [PREVIRT_CLASS_PMC] = EMULATED,
		[PREVIRT_CLASS_TSC] = EMULATED, [PREVIRT_CLASS_CPUID] = EMULATED,
		[PREVIRT_CLASS_SWAPGS] = EMULATED, [PREVIRT_CLASS_XCR] = EMULATED,
		[PREVIRT_CLASS_MWAIT] = EMULATED, [PREVIRT_CLASS_SMAP] = EMULATED,
	},
	.emit = l4_emit,
	.handle = l4_handle,
	.vcpu = &l4_vmm.cpu,
	.refusal_fatal = 1,	/* a refused sled would fault in the task, or run on the host */
};
