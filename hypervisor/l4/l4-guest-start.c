/* SPDX-License-Identifier: MIT */
/*
 * l4_guest_start: from the state previrt-l4-monitor starts the guest's
 * virtual CPU thread in, to the state the kernel's own boot stub would
 * have reached, with every sled patched for L4; then into the kernel.
 *
 * The monitor starts us in the guest's L4 task at CPL 3 on the kernel's
 * flat selectors, the guest's memory mapped on demand at its kernel window
 * (guest-physical = virtual - L4_VMM_KERNEL_BASE). A kernel built for bare
 * metal expects PAE paging on its boot page tables, flat selectors 0x08/
 * 0x10, interrupts off and a PVH start record with its command line. We
 * give it that as the virtual CPU shows it: CR3 = its own boot_pdpt (the
 * tables its PVH stub would have loaded), CR0.PG|PE, CR4.PAE, IF = 0.
 *
 * From here on our pager and exception handler is the VMM thread (the
 * monitor started it first), which walks those tables and reflects
 * exceptions into the guest's IDT.
 */
#include "l4-backend.h"
#include "l4-vmm-proto.h"
#include <previrt/runtime.h>
#include <xen/arch-x86/hvm/start_info.h>

#define APIC_BASE	0xfee00000u

/* What the guest provides: its PVH boot tables and its C entry. */
extern char boot_pdpt[];
void guest_main(const struct hvm_start_info *si);

_Noreturn void l4_guest_start(const struct l4_start_info *si);

static struct hvm_start_info pvh_info;
static struct hvm_memmap_table_entry memmap[1];
static struct previrt_env env;

static l4_word_t phys(const void *p)
{
	return (l4_word_t)(uintptr_t)p - L4_VMM_KERNEL_BASE;
}

static void console_write(const char *s, unsigned long n, void *ctx)
{
	(void)ctx;
	l4_vmm_console_write(&l4_vmm.sys, s, n);
}

static void fatal(const char *why, void *ctx)
{
	(void)ctx;
	l4_vmm_die(&l4_vmm.sys, why);
}

_Noreturn void l4_guest_start(const struct l4_start_info *si)
{
	struct previrt_vcpu *v = &l4_vmm.cpu;
	struct previrt_stats st;
	int rc;

	l4_vmm.start = *si;
	l4_board_attach(si);	/* the VMM thread may not have run yet */
	l4_vmm.monitor = si->monitor;
	l4_vmm.test_drop_wakeup = l4_cmdline_word(si, L4_TEST_DROP_WAKEUP);
	if (l4_sys_init(&l4_vmm.sys, &l4_vmm.kip))
		for (;;)
			;	/* no KIP: no way even to say so */
	/* Our faults and exceptions go to the VMM thread from now on. */
	l4_vmm.sys.utcb[L4_TCR_PAGER] = si->vmm;
	l4_vmm.sys.utcb[L4_TCR_EXCEPTION_HANDLER] = si->vmm;

	v->cr0 = PV_CR0_PE | PV_CR0_ET | PV_CR0_PG;
	v->cr4 = PV_CR4_PAE;
	v->cr3 = phys(boot_pdpt);
	v->if_flag = 0;
	v->cpl = 0;
	previrt_vcpu_set_msr(v, PV_MSR_APIC_BASE, APIC_BASE | PV_APIC_BASE_ENABLE | PV_APIC_BASE_BSP);
	/* the PVH stub's flat selectors (guest layout.h) */
	l4_vmm.seg.cs = 0x08;
	l4_vmm.seg.ss = l4_vmm.seg.ds = l4_vmm.seg.es = 0x10;

	env.write = console_write;
	env.fatal = fatal;
	/* We know where we are: no previrt= means l4, any other name is an error. */
	env.platform = &previrt_backend_l4;
	const char *cmdline = (const char *)(uintptr_t)(L4_VMM_KERNEL_BASE + si->cmdline_gpa);
	rc = previrt_start(cmdline, &env, __start_previrt_sites, __stop_previrt_sites, &st);
	/*
	 * The runtime has said why on the console (the refused sites, or
	 * the previrt= that cannot run here); the monitor ends the task
	 * with the guest's "failed" status.
	 */
	if (rc)
		l4_vmm_die(&l4_vmm.sys, previrt_strerror(rc));

	pvh_info.magic = XEN_HVM_START_MAGIC_VALUE;
	pvh_info.version = 1;
	pvh_info.cmdline_paddr = si->cmdline_gpa;
	memmap[0].addr = 0;
	memmap[0].size = si->mem_size;
	memmap[0].type = XEN_HVM_MEMMAP_TYPE_RAM;
	pvh_info.memmap_paddr = phys(memmap);
	pvh_info.memmap_entries = 1;
	guest_main(&pvh_info);
	l4_vmm_die(&l4_vmm.sys, "guest_main returned");
}
