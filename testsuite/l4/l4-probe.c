/* SPDX-License-Identifier: MIT */
/*
 * l4-probe: the L4 backend's primitives against a real X.2 ia32 kernel.
 * A root task of its own (no Pistachio library): it finds the KIP with the
 * backend's KernelInterface binding and parses it with l4_kip_parse(),
 * reads its UTCB's thread control registers, asks sigma0 for a page with
 * the backend's IPC binding and message encoders, queries and flushes the
 * mapping with its Unmap binding, and blocks in a receive with a timeout
 * (the hlt primitive). Results as TAP on COM1 (l4-probe-out.c).
 */
#include "l4-fpage.h"
#include "l4-kip.h"
#include "l4-msg.h"
#include "l4-probe-out.h"
#include "l4-syscall.h"

#define PROBE_PAGE	0x01000000u	/* 16 MiB: conventional memory under QEMU -m 256 */
#define PROBE_MAGIC	0x4c345072u

void l4_probe_main(void);
void l4_probe_backend(void);	/* l4-probe-backend.c */

static struct l4_sys sys;
static struct l4_kip kip;

static void check_kip(void)
{
	int conventional = 0;

	probe_eq(kip.api_version >> 24, L4_API_VERSION_X2, "KIP: API version X.2");
	probe_eq(kip.kernel_id << 8 | kip.kernel_subid, 4u << 8 | 2u,
		 "KIP: kernel id L4Ka::Pistachio");
	probe_check(kip.page_size_mask & (1u << 12), "KIP: 4 KiB pages");
	probe_check(kip.syscall[L4_SYS_IPC] && kip.syscall[L4_SYS_UNMAP] &&
		    kip.syscall[L4_SYS_IPC] != kip.syscall[L4_SYS_UNMAP],
		    "KIP: Ipc and Unmap entries are distinct and set");
	for (unsigned int i = 0; i < kip.n_memdesc; i++)
		if (!kip.memdesc[i].is_virtual && kip.memdesc[i].type == L4_MEM_CONVENTIONAL)
			conventional = 1;
	probe_check(conventional, "KIP: a conventional physical memory descriptor");
	probe_check(l4_kip_is_conventional(&kip, PROBE_PAGE, PROBE_PAGE + 0xfffu),
		    "KIP: the probe page is conventional memory");
}

static void check_utcb(void)
{
	probe_eq(l4_sys_tcr(&sys, L4_TCR_MY_GLOBAL_ID), l4_kip_root_server(&kip),
		 "UTCB: MyGlobalId is the root server's id from the KIP");
	probe_eq(l4_sys_tcr(&sys, L4_TCR_PAGER), l4_kip_sigma0(&kip),
		 "UTCB: the pager is sigma0");
}

static int get_page_from_sigma0(void)
{
	struct l4_msg msg;
	l4_word_t from, tag, want = l4_fpage(PROBE_PAGE, 12, L4_FPAGE_RWX);

	l4_sigma0_request(&msg, want);
	l4_sys_set_acceptor(&sys, l4_acceptor(L4_FPAGE_COMPLETE));
	tag = l4_sys_ipc(&sys, l4_kip_sigma0(&kip), l4_kip_sigma0(&kip),
			 l4_timeouts(L4_TIME_NEVER, L4_TIME_NEVER), &msg, &msg, &from);
	probe_check(!l4_tag_failed(tag), "sigma0: the call succeeded");
	probe_eq(from, l4_kip_sigma0(&kip), "sigma0: the answer comes from sigma0");
	probe_eq(l4_tag_typed(tag), 2, "sigma0: the answer carries one map item");
	return probe_eq(l4_fpage_base(msg.mr[2]), PROBE_PAGE, "sigma0: mapped the page asked for");
}

static void check_unmap(void)
{
	volatile uint32_t *page = (volatile uint32_t *)PROBE_PAGE;
	l4_word_t f[1];

	*page = PROBE_MAGIC;
	probe_eq(*page, PROBE_MAGIC, "the mapped page holds a store");
	/*
	 * Pistachio reports access bits for the mappings derived from ours,
	 * not for our own (seen here: a status query after the store gives
	 * rwx 0), so the virtual TLB takes A/D from the guest's page tables
	 * (l4-vtlb.c), never from Unmap. The flush itself must succeed and
	 * hand back the fpage it was given.
	 */
	f[0] = l4_fpage(PROBE_PAGE, 12, L4_FPAGE_RWX);
	l4_sys_unmap(&sys, f, 1, 1);		/* the in-place VMM's flush */
	probe_eq(l4_fpage_base(f[0]) | l4_fpage_log2_size(f[0]), PROBE_PAGE | 12,
		 "Unmap with flush returns the fpage");
	/* Touching it again faults to sigma0, which maps the same frame back. */
	probe_eq(*page, PROBE_MAGIC, "after a flush, a fault maps the same frame back");
}

static void check_timeout(void)
{
	struct l4_msg msg;
	l4_word_t from, tag;

	tag = l4_sys_ipc(&sys, L4_NILTHREAD, l4_kip_sigma0(&kip),
			 l4_timeouts(L4_TIME_NEVER, l4_time_period(10000)), 0, &msg, &from);
	probe_check(l4_tag_failed(tag), "a receive nobody answers fails");
	probe_eq(l4_sys_tcr(&sys, L4_TCR_ERROR_CODE),
		 L4_IPC_ERR_TIMEOUT | L4_IPC_ERR_RECEIVE, "... with a receive timeout");
}

void l4_probe_main(void)
{
	probe_puts("TAP version 13\n");
	probe_note("l4-probe: the L4 backend's primitives on an X.2 ia32 kernel");
	if (!probe_eq((l4_word_t)l4_sys_init(&sys, &kip), L4_KIP_OK,
		      "KernelInterface: a KIP l4_kip_parse accepts"))
		probe_finish();
	check_kip();
	check_utcb();
	check_timeout();
	if (get_page_from_sigma0())
		check_unmap();
	l4_probe_backend();
	probe_finish();
}
