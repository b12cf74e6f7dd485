/* SPDX-License-Identifier: MIT */
/* The monitor's start and its answering loop (see monitor.h). */
#include "monitor.h"
#include "l4-board.h"
#include "l4-boot.h"
#include "l4-fpage.h"
#include "l4-kip.h"
#include "l4-msg.h"
#include "l4-syscall.h"
#include "l4-vmm-proto.h"

#define PAGE		4096u
#define VCPU_THREAD	16u	/* thread numbers above the root task's */
#define VMM_THREAD	17u
#define GUEST_PRIORITY	100u	/* the virtual CPU's; the VMM thread's is one higher */
#define WATCH_PERIOD_US	1000000u	/* the longest we wait without looking at the board */

static struct l4_sys sys;
static struct l4_kip kip;
static unsigned char *guest_mem;	/* guest-physical 0, in our space */
static l4_word_t me, vcpu, vmm;

_Noreturn void monitor_main(void);

/*
 * Ask sigma0 for the physical fpage at base (2^log2 bytes, aligned), to
 * appear at the same address here. Boot-loader memory (the boot
 * information, the modules) is handed out only on such a request, never
 * on a page fault.
 */
static void sigma0_map(l4_word_t base, unsigned int log2)
{
	struct l4_msg msg;
	l4_word_t from, tag;

	l4_sigma0_request(&msg, l4_fpage(base, log2, L4_FPAGE_RWX));
	l4_sys_set_acceptor(&sys, l4_acceptor(L4_FPAGE_COMPLETE));
	tag = l4_sys_ipc(&sys, l4_kip_sigma0(&kip), l4_kip_sigma0(&kip),
			 l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER), &msg, &msg, &from);
	l4_sys_set_acceptor(&sys, 0);
	if (l4_tag_failed(tag) || l4_tag_typed(tag) != 2)
		mon_fail("sigma0 did not map the memory at", base);
}

/* Every page of [start, start + size) from sigma0. */
static void sigma0_map_range(l4_word_t start, l4_word_t size)
{
	for (l4_word_t p = start & ~(PAGE - 1); p < start + size; p += PAGE)
		sigma0_map(p, 12);
}

/*
 * Guest memory: the first MONITOR_GUEST_MEM bytes of conventional memory
 * at or above 64 MiB that the boot modules do not use. Touching each page
 * makes sigma0 (our pager) map it to us one to one, and zeroes it.
 */
static void take_guest_memory(const struct l4_boot_module *img)
{
	l4_word_t base;

	for (base = 64u << 20; base < 0xc0000000u - MONITOR_GUEST_MEM; base += 4u << 20) {
		l4_word_t end = base + MONITOR_GUEST_MEM - 1;

		if (!l4_kip_is_conventional(&kip, base, end))
			continue;
		if (img->start <= end && img->start + img->size > base)
			continue;
		guest_mem = (unsigned char *)base;
		for (l4_word_t off = 0; off < MONITOR_GUEST_MEM; off += 4u << 20)
			sigma0_map(base + off, 22);
		for (l4_word_t off = 0; off < MONITOR_GUEST_MEM; off += 4)
			*(volatile uint32_t *)(guest_mem + off) = 0;
		return;
	}
	mon_fail("no conventional memory for the guest", MONITOR_GUEST_MEM);
}

/* The start record and command line, in the guest's last page. */
static l4_word_t write_start_info(const char *cmdline)
{
	l4_word_t gpa = MONITOR_GUEST_MEM - PAGE;
	struct l4_start_info *si = (struct l4_start_info *)(guest_mem + gpa);
	char *line = (char *)(si + 1);
	unsigned int i;

	/* the module's command line starts with its file name: skip it */
	while (*cmdline && *cmdline != ' ')
		cmdline++;
	while (*cmdline == ' ')
		cmdline++;
	/* the page's end is the threads' board (l4-board.h), zeroed with the rest */
	for (i = 0; cmdline[i] && i + 1 < L4_BOARD_OFFSET - sizeof(*si); i++)
		line[i] = cmdline[i];
	line[i] = 0;
	si->magic = L4_START_MAGIC;
	si->mem_size = MONITOR_GUEST_MEM;
	si->cmdline_gpa = gpa + (l4_word_t)sizeof(*si);
	si->monitor = me;
	si->vcpu = vcpu;
	si->vmm = vmm;
	mon_watch_start(guest_mem + gpa + L4_BOARD_OFFSET, l4_sys_clock(&sys));
	return MONITOR_GUEST_BASE + gpa;
}

static unsigned int log2_at_least(unsigned int bytes, unsigned int min)
{
	unsigned int l = min;

	while ((1u << l) < bytes)
		l++;
	return l;
}

/* The guest's task: a new space holding its two threads, both paged by us. */
static void create_task(void)
{
	unsigned int utcb_log2 = log2_at_least(2 * kip.utcb_size, kip.utcb_area_log2);
	l4_word_t r;

	r = l4_sys_thread_control(&sys, vcpu, vcpu, me, L4_NILTHREAD, ~0u);
	if (r != 1)
		mon_fail("ThreadControl (new space) failed, error code", sys.utcb[L4_TCR_ERROR_CODE]);
	r = l4_sys_space_control(&sys, vcpu, 0, l4_fpage(MONITOR_KIP_AREA, kip.kip_area_log2, 0),
				 l4_fpage(MONITOR_UTCB_AREA, utcb_log2, 0), L4_ANYTHREAD);
	if (r != 1)
		mon_fail("SpaceControl failed, error code", sys.utcb[L4_TCR_ERROR_CODE]);
	r = l4_sys_thread_control(&sys, vmm, vcpu, me, me, MONITOR_UTCB_AREA + kip.utcb_size);
	if (r != 1)
		mon_fail("ThreadControl (VMM thread) failed, error code",
			 sys.utcb[L4_TCR_ERROR_CODE]);
	r = l4_sys_thread_control(&sys, vcpu, vcpu, me, me, MONITOR_UTCB_AREA);
	if (r != 1)
		mon_fail("ThreadControl (virtual CPU) failed, error code",
			 sys.utcb[L4_TCR_ERROR_CODE]);
	/*
	 * The VMM thread above the virtual CPU: it then never preempts the VMM
	 * thread, so what the VMM thread found it doing (not in an IPC) still
	 * holds when it halts it with ExchangeRegisters (l4-vmm-thread.c).
	 */
	if (!l4_sys_set_priority(&sys, vcpu, GUEST_PRIORITY) ||
	    !l4_sys_set_priority(&sys, vmm, GUEST_PRIORITY + 1))
		mon_fail("Schedule (the guest threads' priorities) failed, error code",
			 sys.utcb[L4_TCR_ERROR_CODE]);
}

/* A new thread waits for its pager to send the first IP and SP. */
static void start_thread(l4_word_t t, l4_word_t ip, l4_word_t sp)
{
	struct l4_msg msg;
	l4_word_t tag;

	msg.mr[0] = l4_tag(0, 2, 0);
	msg.mr[1] = ip;
	msg.mr[2] = sp;
	tag = l4_sys_ipc(&sys, t, L4_NILTHREAD, l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER),
			 &msg, 0, 0);
	if (l4_tag_failed(tag))
		mon_fail("starting a guest thread failed, error code", sys.utcb[L4_TCR_ERROR_CODE]);
}

/* A 4 KiB page of guest memory for the guest's task at va. */
static void reply_map(struct l4_msg *msg, l4_word_t gpa, l4_word_t va, unsigned int rights)
{
	l4_pagefault_reply(msg, l4_fpage((l4_word_t)(uintptr_t)guest_mem + gpa, 12, rights), va);
}

/* A fault in the guest's task: only the kernel window is ours to resolve. */
static int page_fault(l4_word_t from, const struct l4_pagefault *pf, struct l4_msg *msg)
{
	l4_word_t va = pf->addr & ~(PAGE - 1);

	if (va >= MONITOR_GUEST_BASE && va - MONITOR_GUEST_BASE < MONITOR_GUEST_MEM) {
		reply_map(msg, va - MONITOR_GUEST_BASE, va, L4_FPAGE_RWX);
		return 0;
	}
	mon_puts("\nprevirt-l4-monitor: page fault outside the guest's kernel window, thread ");
	mon_hex(from);
	mon_puts(" address ");
	mon_hex(pf->addr);
	mon_puts(" ip ");
	mon_hex(pf->ip);
	mon_puts("\n");
	return -1;
}

static int vmm_call(const struct l4_msg *in, struct l4_msg *msg)
{
	static struct l4_vmm_call call;

	if (l4_vmm_decode(in, &call))
		return -1;
	switch (call.op) {
	case L4_VMM_CONSOLE:
		mon_write(call.text, call.n);
		l4_vmm_reply(msg);
		return 0;
	case L4_VMM_PORT_IN:
		l4_vmm_reply_value(msg, mon_port_in(call.port, call.size));
		return 0;
	case L4_VMM_PORT_OUT:
		mon_port_out(call.port, call.size, call.value);
		l4_vmm_reply(msg);
		return 0;
	case L4_VMM_SHUTDOWN:
		mon_exit(call.value);
	case L4_VMM_MAP:
		if (call.gpa >= MONITOR_GUEST_MEM || call.va >= 0xc0000000u)
			return -1;
		reply_map(msg, call.gpa, call.va, call.rights);
		return 0;
	}
	return -1;
}

_Noreturn static void serve(void)
{
	static struct l4_msg in, out;
	l4_word_t from = L4_NILTHREAD, tag;

	for (;;) {
		tag = l4_sys_ipc(&sys, from, L4_ANYTHREAD,
				 l4_timeouts(L4_TIME_ZERO, l4_time_period(WATCH_PERIOD_US)),
				 from == L4_NILTHREAD ? 0 : &out, &in, &from);
		mon_watch(l4_sys_clock(&sys), vcpu, vmm);
		if (l4_tag_failed(tag)) {
			from = L4_NILTHREAD;	/* a reply that found nobody waiting, or a second without news */
			continue;
		}
		if (from != vcpu && from != vmm) {
			from = L4_NILTHREAD;	/* not ours: no answer */
			continue;
		}
		unsigned int label = l4_tag_label(tag);
		struct l4_pagefault pf;
		struct l4_exception exc;

		if ((label & 0xfff0u) == L4_LABEL_PAGEFAULT && !l4_pagefault_decode(&in, &pf)) {
			if (page_fault(from, &pf, &out))
				mon_exit(0x11);
		} else if (label == L4_LABEL_EXCEPTION && !l4_exception_decode(&in, &exc)) {
			mon_puts("\nprevirt-l4-monitor: exception ");
			mon_hex(exc.vector);
			mon_puts(" error ");
			mon_hex(exc.error);
			mon_puts(" at eip ");
			mon_hex(exc.eip);
			mon_puts(" in thread ");
			mon_hex(from);
			mon_puts(", which has no other handler\n");
			mon_exit(0x11);
		} else if (vmm_call(&in, &out)) {
			mon_puts("\nprevirt-l4-monitor: malformed call, label ");
			mon_hex(label);
			mon_puts(" from ");
			mon_hex(from);
			mon_puts("\n");
			mon_exit(0x11);
		}
	}
}

_Noreturn void monitor_main(void)
{
	struct l4_boot_module img;
	struct l4_image image;
	int rc;

	rc = l4_sys_init(&sys, &kip);
	if (rc)
		mon_fail("the kernel interface page is not one we understand", (uint32_t)rc);
	mon_puts("previrt-l4-monitor: L4 X.2 kernel, ");
	me = sys.utcb[L4_TCR_MY_GLOBAL_ID];
	vcpu = l4_global_id(kip.user_base + VCPU_THREAD, 1);
	vmm = l4_global_id(kip.user_base + VMM_THREAD, 1);
	if (!kip.boot_info)
		mon_fail("no boot information in the KIP", 0);
	mon_puts("boot information at ");
	mon_hex(kip.boot_info);
	mon_puts(", ");
	/* one page is what kickstart writes; the records bound themselves */
	sigma0_map_range(kip.boot_info, PAGE);
	if (l4_boot_module((const void *)(uintptr_t)kip.boot_info,
			   PAGE - (kip.boot_info & (PAGE - 1)), 0, &img))
		mon_fail("no guest image: pass it as the module after the monitor",
			 kip.boot_info);
	mon_puts("guest image at ");
	mon_hex(img.start);
	mon_puts(", ");
	mon_hex(img.size);
	mon_puts(" bytes, command line \"");
	mon_puts(img.cmdline);
	mon_puts("\"\n");
	sigma0_map_range(img.start, img.size);
	take_guest_memory(&img);
	rc = l4_image_load((const void *)(uintptr_t)img.start, img.size, guest_mem,
			   MONITOR_GUEST_MEM - PAGE, &image);
	if (rc) {
		mon_puts("previrt-l4-monitor: guest image refused: ");
		mon_puts(l4_image_error_name(rc));
		mon_exit(0x11);
	}
	l4_word_t sp = write_start_info(img.cmdline);
	mon_puts("previrt-l4-monitor: guest memory ");
	mon_hex(MONITOR_GUEST_MEM);
	mon_puts(" bytes at ");
	mon_hex((uint32_t)(uintptr_t)guest_mem);
	mon_puts(", virtual CPU at ");
	mon_hex(image.vcpu_entry);
	mon_puts(", VMM thread at ");
	mon_hex(image.vmm_entry);
	mon_puts("\n");
	create_task();
	start_thread(vmm, image.vmm_entry, sp);
	start_thread(vcpu, image.vcpu_entry, sp);
	serve();
}
