/* SPDX-License-Identifier: MIT */
/*
 * The in-place VMM's second thread: pager and exception handler of the
 * guest's virtual CPU thread, in the guest's own task.
 *
 * Page faults: the guest believes it runs on its own page tables, so a
 * fault is first looked up there (l4-vtlb.c, reading the tables in place
 * through the kernel window). If they map the page, the monitor is asked
 * to map that guest-physical page at the address (it lands in this task,
 * which both threads share) and the faulting thread is resumed to retry;
 * if they do not, the guest takes #PF through its IDT.
 *
 * Exceptions: reflected into the guest's IDT with the CPU's frame
 * (l4-inject.c), by replying to the kernel's exception message with the
 * handler's eip/esp. A "#GP" that is really an int n / int3 the L4
 * kernel's IDT does not let CPL 3 raise becomes that vector.
 *
 * A page fault cannot be answered with new registers, so for #PF the
 * thread is redirected with ExchangeRegisters, which also aborts its
 * page-fault IPC.
 */
#include <previrt/x86-insn.h>
#include "l4-backend.h"
#include "l4-fpage.h"
#include "l4-vmm-proto.h"
#include "l4-vtlb.h"


_Noreturn void l4_vmm_thread_main(const struct l4_start_info *si);

static struct l4_sys vsys;	/* this thread's UTCB */

static void describe(const char *what, l4_word_t a, l4_word_t b)
{
	l4_vmm_console_puts(&vsys, "\nprevirt/l4: ");
	l4_vmm_console_puts(&vsys, what);
	l4_vmm_console_puts(&vsys, " ");
	l4_vmm_console_hex(&vsys, a);
	l4_vmm_console_puts(&vsys, " ");
	l4_vmm_console_hex(&vsys, b);
}

static void guest_view(struct l4_vtlb_guest *g)
{
	g->mem = (unsigned char *)(uintptr_t)L4_VMM_KERNEL_BASE;
	g->size = l4_vmm.start.mem_size;
	g->cr3 = l4_vmm.cpu.cr3;
	g->cr0 = l4_vmm.cpu.cr0;
	g->cr4 = l4_vmm.cpu.cr4;
	g->user = l4_vmm.cpu.cpl == 3;
}

/* Ask the monitor to map guest page gpa at va in this task. */
static int map_page(l4_word_t gpa, l4_word_t va, unsigned int rights)
{
	struct l4_msg msg;
	l4_word_t from, tag;

	l4_vmm_map(&msg, gpa, va, rights);
	l4_sys_set_acceptor(&vsys, l4_acceptor(L4_FPAGE_COMPLETE));
	l4_board_wait(&vsys, 1, L4_WAIT_MONITOR, L4_BOARD_NO_TIMEOUT);
	tag = l4_sys_ipc(&vsys, l4_vmm.monitor, l4_vmm.monitor,
			 l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER), &msg, &msg, &from);
	l4_board_done(1, L4_WAIT_RUNNING);
	l4_sys_set_acceptor(&vsys, 0);
	return l4_tag_failed(tag) || l4_tag_typed(tag) != 2 ? -1 : 0;
}

/*
 * Redirect the virtual CPU, stopped in a fault message that cannot be
 * answered with registers, into the guest's handler for vector (at the
 * faulting instruction); returns 0 when done (the thread runs on; its
 * fault is not answered).
 */
static int reflect_fault(l4_word_t vcpu, unsigned int vector, l4_word_t error)
{
	struct l4_exregs r = { 0, 0, 0, 0 };
	struct l4_guest_ctx c;

	if (l4_sys_exregs(&vsys, vcpu, &r))
		return -1;
	c.ip = r.ip;
	c.sp = r.sp;
	c.flags = r.flags;
	if (l4_enter_guest(&c, vector, 1, error, 0))
		return -1;
	r.control = L4_EXREGS_SET_SP | L4_EXREGS_SET_IP | L4_EXREGS_ABORT_RECV |
		    L4_EXREGS_ABORT_SEND;
	r.sp = c.sp;
	r.ip = c.ip;
	r.flags = 0;
	return l4_sys_exregs(&vsys, vcpu, &r);
}

/*
 * A write to the page of a write breakpoint (l4-watch.h): let it through
 * once, under TF. 0 when the virtual CPU was sent on its way.
 */
static int watch_step(l4_word_t vcpu, const struct l4_pagefault *pf, l4_word_t gpa,
		      unsigned int rights)
{
	struct l4_exregs r = { 0, 0, 0, 0 };
	l4_word_t *f;

	if (l4_vmm.cpu.cpl != 0)
		return -1;	/* the step runs on the guest's kernel stack */
	if (map_page(gpa, pf->addr & ~0xfffu, rights | L4_FPAGE_W) ||
	    l4_sys_exregs(&vsys, vcpu, &r))
		return -1;
	f = (l4_word_t *)(uintptr_t)r.sp;
	*--f = r.ip;
	*--f = r.flags | PV_FL_TF;
	r.control = L4_EXREGS_SET_SP | L4_EXREGS_SET_IP | L4_EXREGS_ABORT_RECV |
		    L4_EXREGS_ABORT_SEND;
	r.sp = (l4_word_t)(uintptr_t)f;
	r.ip = (l4_word_t)(uintptr_t)l4_step_enter;
	l4_vmm.watch.fault_addr = pf->addr;
	l4_vmm.watch.step = L4_STEP_ENTERING;
	return l4_sys_exregs(&vsys, vcpu, &r);
}

/* Whether the store at eip, which faulted at addr, touched the watched bytes. */
static int watch_hit(l4_word_t eip, l4_word_t addr)
{
	struct pv_x86_insn insn;
	unsigned int size;

	if (pv_x86_decode((const uint8_t *)(uintptr_t)eip, 15, 32, &insn) <= 0 || !insn.has_mem)
		l4_vmm_die(&vsys, "a write to a watched page by an instruction that does not decode");
	size = insn.memsize ? insn.memsize : insn.opsize;
	return addr <= l4_vmm.watch.hi && addr + size - 1 >= l4_vmm.watch.lo;
}

/* #DB while a watched store is being stepped: 1 when it was ours (e updated). */
static int watch_debug(struct l4_exception *e)
{
	struct l4_watch *w = &l4_vmm.watch;
	l4_word_t page = w->fault_addr & ~0xfffu;

	switch (w->step) {
	case L4_STEP_ENTERING:		/* after the ret: the store is next */
		w->step = L4_STEP_STORE;
		w->store_ip = e->eip;
		return 1;
	case L4_STEP_STORE:		/* after the store */
		w->hit = watch_hit(w->store_ip, w->fault_addr);
		l4_vmm_flush_range(&vsys, page, page + 0x1000u);
		e->esp -= 4;
		*(l4_word_t *)(uintptr_t)e->esp = e->eip;
		e->eip = (l4_word_t)(uintptr_t)l4_step_leave;
		w->step = L4_STEP_LEAVING;
		return 1;
	case L4_STEP_LEAVING:		/* inside l4_step_leave until its popf */
		if (e->eip != (l4_word_t)(uintptr_t)l4_step_leave_ret)
			return 1;
		w->step = L4_STEP_NONE;
		if (w->hit) {
			struct l4_guest_ctx c = { *(l4_word_t *)(uintptr_t)e->esp, e->esp + 4,
						  e->eflags };

			w->hit = 0;
			l4_vmm.cpu.dr[6] |= 1ul << w->index;
			if (l4_enter_guest(&c, PV_VEC_DB, 0, 0, 0))
				l4_vmm_die(&vsys, "a write breakpoint hit, and the guest has no #DB handler");
			e->eip = c.ip;
			e->esp = c.sp;
		}
		return 1;
	case L4_STEP_NONE:
		break;
	}
	return 0;
}

/* 1: answer with msg; 0: the thread was redirected, no answer. */
static int page_fault(l4_word_t vcpu, const struct l4_pagefault *pf, struct l4_msg *msg)
{
	struct l4_vtlb_guest g;
	struct l4_vtlb_result r;
	l4_word_t va = pf->addr & ~0xfffu;
	unsigned int access = pf->access ? pf->access : L4_FPAGE_R;

	guest_view(&g);
	switch (l4_vtlb_translate(&g, pf->addr, access, &r)) {
	case L4_VTLB_MAP:
		if (l4_watch_page_protected(&l4_vmm.watch, va)) {
			if (access & L4_FPAGE_W) {
				if (watch_step(vcpu, pf, (l4_word_t)r.gpa, r.rights))
					break;
				return 0;
			}
			r.rights &= ~L4_FPAGE_W;
		}
		if (map_page((l4_word_t)r.gpa, va, r.rights))
			break;
		msg->mr[0] = l4_tag(0, 0, 0);
		return 1;
	case L4_VTLB_GUEST_FAULT:
		l4_vmm.cpu.cr2 = pf->addr;
		if (reflect_fault(vcpu, PV_VEC_PF, r.error))
			break;
		return 0;
	default:
		describe("the guest's page tables map outside its memory: address, ip",
			 pf->addr, pf->ip);
		break;
	}
	describe("cannot resolve a page fault: address, ip", pf->addr, pf->ip);
	l4_vmm_die(&vsys, "");
}

/* int3 / int n that CPL 3 may not raise through the L4 kernel's IDT: which vector. */
static int software_vector(const struct l4_exception *e, unsigned int *vector, unsigned int *len)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)e->eip;

	if (e->vector != PV_VEC_GP || (e->error & 7) != PV_ERR_IDT)
		return 0;	/* not "IDT entry, not external" */
	if (p[0] == 0xcc && e->error >> 3 == PV_VEC_BP) {
		*vector = PV_VEC_BP;
		*len = 1;
		return 1;
	}
	if (p[0] == 0xcd && p[1] == e->error >> 3) {
		*vector = p[1];
		*len = 2;
		return 1;
	}
	return 0;
}

/*
 * The virtual CPU came through the gate (l4_gate_hlt, #GP(0)) with the guest's
 * registers: finish what it left in l4_gate. 0, or -1 when the guest
 * has no handler for what is to be delivered.
 */
static int gate(struct l4_guest_ctx *c)
{
	enum l4_gate_op op = l4_gate.op;
	int vector;

	l4_gate.op = L4_GATE_NONE;
	l4_vmm_busy = 0;
	c->ip = l4_gate.ip;
	switch (op) {
	case L4_GATE_EXCEPTION:
		return l4_enter_guest(c, l4_gate.vector, previrt_vector_has_error(l4_gate.vector),
				      l4_gate.error, 0);
	case L4_GATE_INTERRUPT:
		vector = previrt_vlapic_next_vector(&l4_vmm.lapic);
		l4_sti_slow_update();
		return vector < 0 ? 0 : l4_enter_guest(c, (unsigned int)vector, 0, 0, 0);
	case L4_GATE_USER:
		/*
		 * Into the guest's CPL 3: what its kernel half mapped in this
		 * task goes, so that user mode reaches only what the guest's
		 * tables give it (the next faults are walked at CPL 3).
		 */
		l4_vmm_flush_range(&vsys, L4_VMM_KERNEL_BASE,
				   L4_VMM_KERNEL_BASE + l4_vmm.start.mem_size);
		l4_vmm.cpu.cpl = 3;
		c->sp = l4_gate.sp;
		return 0;
	case L4_GATE_NONE: case L4_GATE_UNPATCHED:
		break;
	}
	return -1;
}

/*
 * xgetbv is not sensitive, so the guest runs it natively; but the real
 * CR4.OSXSAVE is the L4 kernel's (off on Pistachio), so it raises #UD.
 * Trap and emulate: the virtual XCR0 under the virtual CR4.OSXSAVE. 1 when
 * it was one (e then holds the result), -1 when it was one the CPU answers
 * with #GP(0) (an XCR other than 0 and 1), 0 when the #UD is the guest's.
 */
static int emulate_xgetbv(struct l4_exception *e)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)e->eip;

	if (e->vector != PV_VEC_UD || p[0] != 0x0f || p[1] != 0x01 || p[2] != 0xd0 ||
	    !(l4_vmm.cpu.cr4 & PV_CR4_OSXSAVE))
		return 0;
	if (e->ecx != 0 && e->ecx != 1)
		return -1;
	e->eax = (l4_word_t)l4_vmm.cpu.xcr0;
	e->edx = (l4_word_t)(l4_vmm.cpu.xcr0 >> 32);
	e->eip += 3;
	return 1;
}

/*
 * The VMM thread's own primitives for the virtual CPU, in force while it
 * runs the fallback below on the virtual CPU's behalf (that thread is
 * stopped in its exception IPC meanwhile, so nothing else uses the
 * vCPU): port I/O is an IPC to the monitor, and an IPC must be made from
 * this thread's UTCB, never the stopped thread's.
 */
static uint32_t thread_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	(void)v;
	return l4_vmm_port_read(&vsys, port, size);
}

static void thread_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size,
			    uint32_t value)
{
	(void)v;
	l4_vmm_port_write(&vsys, port, size, value);
}

static const struct previrt_vmm_ops thread_ops = {
	.port_in = thread_port_in, .port_out = thread_port_out,
};

/*
 * The fallback's handler: the virtual CPU's own emulation (vcpu.c, what a
 * sled of the class runs) with this thread's primitives, for the classes
 * whose side effects this thread can make itself: cli, sti, port I/O and
 * the control registers (a new CR3 empties the task's user half, as after
 * the sled). The others (hlt blocks in an IPC to this very thread; debug
 * registers, invlpg and xsetbv need the virtual CPU's own gate) are the
 * guest's #GP, as before.
 */
static int thread_handle(struct previrt_vcpu *v, struct previrt_regs *regs,
			 const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	const struct previrt_vmm_ops *ops = v->ops;
	int rc;

	switch (site->klass) {
	case PREVIRT_CLASS_CLI: case PREVIRT_CLASS_STI: case PREVIRT_CLASS_PIO:
	case PREVIRT_CLASS_CR:
		break;
	default:
		return -1;
	}
	v->ops = &thread_ops;
	rc = previrt_vcpu_emulate(v, regs, insn, site);
	v->ops = ops;
	if (rc)
		return rc;
	if (insn->op == PV_OP_MOV_TO_CR && insn->reg == 3)
		l4_vmm_flush_range(&vsys, 0, L4_VMM_KERNEL_BASE);
	return 0;
}

/*
 * Trap and emulate: the fallback for sensitive instructions no sled
 * covers (code built without the plugin), at the guest's CPL 0, where the
 * task's real CPL 3 makes them fault (#GP; port I/O as an I/O-fpage fault,
 * see the caller). libprevirt's fallback (vmm/fallback.c, the one Xen
 * uses) decodes at the fault and runs the instruction as a sled of its
 * own through thread_handle. 1 when it was done (e stepped over it);
 * anything else is left to the caller, which reflects the exception.
 */
static int emulate_unpatched(struct l4_exception *e)
{
	static const struct previrt_backend thread_path = {
		.name = "l4-vmm-thread", .handle = thread_handle,
	};
	struct previrt_regs r = {
		.di = e->edi, .si = e->esi, .bp = e->ebp, .bx = e->ebx, .dx = e->edx,
		.cx = e->ecx, .ax = e->eax, .sp = e->esp, .ip = e->eip, .flags = e->eflags,
	};
	struct pv_x86_insn insn;

	if (previrt_fallback_emulate(&thread_path, &l4_vmm.cpu, &r, 32, &insn))
		return 0;
	e->edi = r.di, e->esi = r.si, e->ebp = r.bp, e->ebx = r.bx;
	e->edx = r.dx, e->ecx = r.cx, e->eax = r.ax;
	e->eip = r.ip;
	l4_vmm.trapped++;
	return 1;
}

/*
 * An I/O-fpage fault of the guest's kernel (unpatched port I/O): the fault
 * message has no registers, so send the thread through the gate, whose
 * exception message has them all, to be emulated there. 0 when sent.
 */
static int trap_port_io(l4_word_t vcpu, struct l4_exregs *r)
{
	if (l4_sys_exregs(&vsys, vcpu, r))
		return -1;
	l4_vmm_busy = 1;
	l4_gate.op = L4_GATE_UNPATCHED;
	l4_gate.ip = r->ip;
	r->control = L4_EXREGS_SET_IP | L4_EXREGS_ABORT_RECV | L4_EXREGS_ABORT_SEND;
	r->ip = (l4_word_t)(uintptr_t)l4_gate_hlt;
	return l4_sys_exregs(&vsys, vcpu, r);
}

static void exception(const struct l4_exception *in, struct l4_msg *msg)
{
	struct l4_exception e = *in;
	struct l4_guest_ctx c = { e.eip, e.esp, e.eflags };
	unsigned int vector = e.vector, len;
	int rc;

	if (e.vector == PV_VEC_DB && watch_debug(&e)) {
		l4_exception_reply(msg, &e);
		return;
	}
	if (e.vector == PV_VEC_GP && e.error == 0 && e.eip == (l4_word_t)(uintptr_t)l4_gate_hlt &&
	    l4_gate.op == L4_GATE_UNPATCHED) {
		l4_gate.op = L4_GATE_NONE;
		l4_vmm_busy = 0;
		e.eip = l4_gate.ip;
		if (!emulate_unpatched(&e))
			l4_vmm_die(&vsys, "port I/O outside a sled that cannot be emulated");
		l4_exception_reply(msg, &e);
		return;
	}
	if (e.vector == PV_VEC_GP && e.error == 0 && e.eip == (l4_word_t)(uintptr_t)l4_gate_hlt) {
		rc = gate(&c);
	} else if (e.vector == PV_VEC_GP && e.error == 0 && emulate_unpatched(&e)) {
		c.ip = e.eip;
		/* an sti may have unmasked a virtual interrupt that is due */
		if (l4_vmm.cpu.if_flag && previrt_vlapic_pending(&l4_vmm.lapic)) {
			int v = previrt_vlapic_next_vector(&l4_vmm.lapic);

			l4_sti_slow_update();
			rc = v < 0 ? 0 : l4_enter_guest(&c, (unsigned int)v, 0, 0, 0);
		} else {
			l4_exception_reply(msg, &e);
			return;
		}
	} else if ((rc = emulate_xgetbv(&e)) != 0) {
		if (rc > 0) {
			l4_exception_reply(msg, &e);
			return;
		}
		rc = l4_enter_guest(&c, PV_VEC_GP, 1, 0, 0);
	} else if (software_vector(&e, &vector, &len)) {
		c.ip += len;
		rc = l4_enter_guest(&c, vector, 0, 0, 1);
		if (rc)	/* a gate CPL 3 may not use: #GP(vector * 8 + 2), at the int */
			c.ip -= len, rc = l4_enter_guest(&c, PV_VEC_GP, 1, vector * 8 + PV_ERR_IDT, 0);
	} else {
		rc = l4_enter_guest(&c, vector, previrt_vector_has_error(vector), e.error, 0);
	}
	if (rc) {
		describe("exception with no guest handler: vector, eip", e.vector, e.eip);
		describe("error code, esp", e.error, e.esp);
		l4_vmm_die(&vsys, "");
	}
	e.eip = c.ip;
	e.esp = c.sp;
	l4_exception_reply(msg, &e);
}

/*
 * Asynchronous virtual interrupts. While the virtual APIC's timer runs,
 * this thread waits for the virtual CPU's messages only until the timer is
 * due (receive_timeout): of the two threads it alone waits with a timeout.
 * When the guest idles (L4_VCPU_IDLE), its call is held here and answered
 * when that wait ends, so that its wakeup and our next receive are one
 * IPC (issue 19: two timed waits on one deadline lost a wakeup in the L4
 * kernel). Otherwise, when the guest has IF set and the virtual CPU is in
 * the guest's own code (l4_vmm_busy clear, no single step of a watched
 * store under way, not in an IPC), it is stopped with ExchangeRegisters
 * and entered into the guest's handler where it stood, as a real
 * interrupt would take it. A thread inside the VMM delivers at its next
 * sled; otherwise we look again RETRY_US later.
 */
#define RETRY_US	1000u	/* due but not deliverable yet: look again */
#define NEVER_US	L4_BOARD_NO_TIMEOUT

static int vcpu_idle;		/* we hold the virtual CPU's idle call */
static int drop_wakeup;		/* test hook: l4.test=drop-wakeup (L4_TEST_DROP_WAKEUP) */

/* The receive timeout, and in *us its length for the board. */
static l4_word_t receive_timeout(int retry, uint32_t *us)
{
	uint64_t due = previrt_vlapic_deadline(&l4_vmm.lapic), now, left = ~0ull;

	if (l4_board)
		l4_board->timer_due_us = due / 1000u;
	if (retry)
		left = RETRY_US;
	else if (due) {
		now = l4_vmm_now_ns(&l4_vmm.lapic);
		left = due <= now ? 0 : (due - now) / 1000u + 1;
	}
	if (vcpu_idle && left > L4_VMM_IDLE_US)
		left = L4_VMM_IDLE_US;
	if (left == ~0ull) {
		*us = NEVER_US;
		return L4_TIME_NEVER;
	}
	*us = (uint32_t)left;
	return left ? l4_time_period(left) : L4_TIME_ZERO;
}

/*
 * Whether the virtual CPU may be stopped now: not in an IPC. Asked
 * before the halt, since Pistachio's ExchangeRegisters cannot halt a thread
 * inside an IPC (it stops in its debugger, which this build has not: the
 * machine hangs). The answer stays true until we block: the monitor gives
 * this thread a higher priority than the virtual CPU, which therefore does
 * not run, and so starts no IPC, between this query and the halt.
 */
static int vcpu_stoppable(l4_word_t vcpu)
{
	struct l4_exregs q = { 0, 0, 0, 0 };

	if (l4_sys_exregs(&vsys, vcpu, &q))
		return 0;
	return !(q.control & (L4_EXREGS_ABORT_RECV | L4_EXREGS_ABORT_SEND));
}

/* 1: an interrupt is due and could not be delivered now (retry soon). */
static int deliver_async(l4_word_t vcpu)
{
	struct l4_exregs r = { L4_EXREGS_SET_HALT | L4_EXREGS_HALT, 0, 0, 0 };
	struct l4_guest_ctx c;
	int vector;

	if (!previrt_vlapic_pending(&l4_vmm.lapic))
		return 0;	/* nothing due, or the guest's priority masks it */
	if (!l4_vmm.cpu.if_flag || l4_vmm_busy || l4_vmm.watch.step != L4_STEP_NONE)
		return !l4_vmm.cpu.if_flag ? 0 : 1;	/* IF clear: its sti delivers it */
	if (!vcpu_stoppable(vcpu) || l4_sys_exregs(&vsys, vcpu, &r))
		return 1;
	if ((r.control & (L4_EXREGS_ABORT_RECV | L4_EXREGS_ABORT_SEND)) || l4_vmm_busy ||
	    !l4_vmm.cpu.if_flag) {
		struct l4_exregs go = { L4_EXREGS_SET_HALT, 0, 0, 0 };

		l4_sys_exregs(&vsys, vcpu, &go);
		return 1;
	}
	c.ip = r.ip;
	c.sp = r.sp;
	c.flags = r.flags;
	vector = previrt_vlapic_next_vector(&l4_vmm.lapic);
	l4_sti_slow_update();
	if (vector >= 0 && l4_enter_guest(&c, (unsigned int)vector, 0, 0, 0))
		l4_vmm_die(&vsys, "a virtual interrupt is due, and the guest has no handler for it");
	r.control = L4_EXREGS_SET_HALT | L4_EXREGS_SET_SP | L4_EXREGS_SET_IP;
	r.sp = c.sp;
	r.ip = c.ip;
	l4_sys_exregs(&vsys, vcpu, &r);
	l4_vmm.async_interrupts++;
	l4_board_done(1, L4_WAIT_RUNNING);
	return 0;
}

/* The guest idles: 1 when its call is to be answered at once (something is due). */
static int idle_now_due(void)
{
	uint64_t due = previrt_vlapic_deadline(&l4_vmm.lapic);

	return previrt_vlapic_pending(&l4_vmm.lapic) ||
	       (due && due <= l4_vmm_now_ns(&l4_vmm.lapic));
}

_Noreturn void l4_vmm_thread_main(const struct l4_start_info *si)
{
	static struct l4_msg in, out;
	struct l4_kip kip;
	l4_word_t from, tag, vcpu = si->vcpu, timeout;
	uint32_t timeout_us;
	int answer = 0, retry = 0;

	if (l4_sys_init(&vsys, &kip))
		for (;;)
			;
	l4_vmm.monitor = si->monitor;
	l4_board_attach(si);
	l4_board->magic = L4_BOARD_MAGIC;
	drop_wakeup = l4_cmdline_word(si, L4_TEST_DROP_WAKEUP);
	for (;;) {
		struct l4_pagefault pf;
		struct l4_exception exc;

		timeout = receive_timeout(retry, &timeout_us);
		if (answer && timeout != L4_TIME_NEVER) {
			/*
			 * A reply never shares an IPC with a timed receive: on
			 * Pistachio that pair lost our wakeup when the timeout
			 * was short or already over, the virtual CPU's next
			 * message then waiting forever (issue 19). It waits for
			 * the reply, so a send that does not wait suffices.
			 */
			l4_sys_ipc(&vsys, vcpu, L4_NILTHREAD,
				   l4_timeouts(L4_TIME_ZERO, L4_TIME_NEVER), &out, 0, &from);
			answer = 0;
		}
		l4_board->vcpu_idle = (uint32_t)vcpu_idle;
		l4_board_wait(&vsys, 1, L4_WAIT_VCPU_MESSAGE, timeout_us);
		tag = l4_sys_ipc(&vsys, answer ? vcpu : L4_NILTHREAD, vcpu,
				 l4_timeouts(L4_TIME_NEVER, timeout), answer ? &out : 0, &in, &from);
		answer = 0;
		l4_board->vmm.wait = L4_WAIT_RUNNING;
		if (l4_tag_failed(tag)) {
			/* the receive timed out: the APIC timer is due */
			if (vcpu_idle) {
				/* wake the idle guest: its handler delivers what is due */
				vcpu_idle = 0;
				out.mr[0] = l4_tag(0, 0, 0);
				answer = 1;
				continue;
			}
			retry = deliver_async(vcpu);
			continue;
		}
		retry = 0;
		l4_board_done(1, L4_WAIT_RUNNING);	/* a message: the guest moved */
		unsigned int label = l4_tag_label(tag);

		if ((label & 0xfff0u) == L4_LABEL_PAGEFAULT && !l4_pagefault_decode(&in, &pf)) {
			answer = page_fault(vcpu, &pf, &out);
		} else if ((label & 0xfff0u) == L4_LABEL_IO_PAGEFAULT && l4_tag_untyped(tag) == 2) {
			/*
			 * Port I/O the L4 kernel did not let through: the guest's
			 * own ports are all emulated (sleds), so this is its user
			 * mode without I/O privilege, where the CPU raises #GP(0).
			 * At its CPL 0 it is port I/O no sled covers: never guessed.
			 */
			if (l4_vmm.cpu.cpl != 3) {
				struct l4_exregs r = { 0, 0, 0, 0 };

				/* unpatched port I/O in the guest's kernel: emulate it */
				if (trap_port_io(vcpu, &r))
					l4_vmm_die(&vsys, "port I/O outside a sled: cannot stop the thread");
				continue;
			}
			if (reflect_fault(vcpu, PV_VEC_GP, 0)) {
				describe("no #GP handler for port I/O at CPL 3: ip", in.mr[2], 0);
				l4_vmm_die(&vsys, "");
			}
		} else if (label == L4_VCPU_TIMER_CHANGED && l4_tag_untyped(tag) == 0) {
			/* nothing to answer: the next wait takes the new deadline */
		} else if (label == L4_VCPU_IDLE && l4_tag_untyped(tag) == 0) {
			out.mr[0] = l4_tag(0, 0, 0);
			if (drop_wakeup)
				/*
				 * The test hook drops the first idle call here, on
				 * receipt, whatever its timer says: neither
				 * answered nor held, so the hang does not depend
				 * on whether the timer was due when it came (the
				 * virtual CPU sends it even then, l4_idle()).
				 */
				drop_wakeup = 0;
			else if (idle_now_due())
				answer = 1;
			else
				vcpu_idle = 1;	/* answered when our wait ends */
		} else if (label == L4_LABEL_EXCEPTION && !l4_exception_decode(&in, &exc)) {
			exception(&exc, &out);
			answer = 1;
		} else {
			describe("unexpected message from the virtual CPU: label, words", label,
				 l4_tag_untyped(tag));
			l4_vmm_die(&vsys, "");
		}
	}
}
