// SPDX-License-Identifier: MIT
/*
 * xen_pv_boot: from Xen's PV start state to the state a kernel's own PVH
 * boot stub would have reached, with every sled patched for Xen.
 *
 * Xen starts us in long mode on its page tables, ring 3, events masked,
 * with a start_info page.  A kernel built for bare metal expects instead:
 * long mode on its boot page tables (CR3), flat code/data selectors,
 * interrupts off, and a PVH hvm_start_info with its command line.  We
 * build that as the guest will see it through the virtual CPU: a CR3
 * tree of our own that maps physical [0, 1 GiB) at XEN_PV_VIRT_BASE and
 * identically (what a PVH stub builds), the selectors 0x08/0x10, IF = 0
 * (the event mask Xen left set), and the start info below: command line,
 * memory map (our pseudo-physical frames) and initrd (Xen's module).
 */
#include "xen-vmm.h"
#include <xen/arch-x86/hvm/start_info.h>

#define PTE_P	0x001UL
#define PTE_RW	0x002UL
#define PTE_PS	0x080UL

static uint64_t boot_pml4[512] __attribute__((aligned(4096)));
static uint64_t boot_pdpt[512] __attribute__((aligned(4096)));
static uint64_t boot_pd[512] __attribute__((aligned(4096)));

static char cmdline[MAX_GUEST_CMDLINE];
static struct hvm_start_info pvh_info;
static struct hvm_memmap_table_entry memmap[1];
static struct hvm_modlist_entry module;
static struct previrt_env env;

static unsigned long phys(const void *p)
{
	return (unsigned long)p - XEN_PV_VIRT_BASE;
}

static void boot_tables(void)
{
	unsigned int i;

	for (i = 0; i < 512; i++)
		boot_pd[i] = (uint64_t)i << 21 | PTE_P | PTE_RW | PTE_PS;
	boot_pdpt[0] = phys(boot_pd) | PTE_P | PTE_RW;
	boot_pdpt[510] = phys(boot_pd) | PTE_P | PTE_RW;	/* XEN_PV_VIRT_BASE */
	boot_pml4[0] = phys(boot_pdpt) | PTE_P | PTE_RW;
	boot_pml4[511] = phys(boot_pdpt) | PTE_P | PTE_RW;
	xen_vmm.cpu.cr3 = phys(boot_pml4);
}

static void console_write(const char *s, unsigned long n, void *ctx)
{
	(void)ctx;
	xen_uart_flush();
	xen_console_write_n(s, n);
}

static void fatal(const char *why, void *ctx)
{
	(void)ctx;
	xen_uart_flush();
	xen_console_puts("\nprevirt/xen: ");
	xen_console_puts(why);
	xen_console_puts("\n");
	xen_pv_exit_status(0x11);
}

_Noreturn static void boot_failed(const char *what, long rc)
{
	xen_console_puts("previrt/xen: boot failed: ");
	xen_console_puts(what);
	xen_console_puts(", Xen says ");
	xen_console_hex((unsigned long)rc);
	xen_console_puts("\n");
	xen_pv_exit_status(0x11);
}

/*
 * The runtime said why on the console (every refused site, or the
 * previrt= that cannot run here).  The domain crashes, rather than
 * exiting with a status, so that Xen itself says so on its console
 * ("Hardware Dom0 crashed") whatever QEMU's devices are.
 */
_Noreturn static void runtime_failed(int rc)
{
	xen_uart_flush();
	xen_console_puts("previrt/xen: the runtime did not start (");
	xen_console_puts(previrt_strerror(rc));
	xen_console_puts("): stopping the domain\n");
	xen_pv_shutdown(SHUTDOWN_crash);
}

const struct hvm_start_info *xen_pv_boot(start_info_t *si);

const struct hvm_start_info *xen_pv_boot(start_info_t *si)
{
	struct previrt_stats st;
	unsigned int i;
	long rc;

	rc = xen_pv_setup(si);
	if (rc)
		boot_failed("mapping shared_info", rc);
	rc = xen_pv_set_iopl(1);
	if (rc)
		boot_failed("PHYSDEVOP_set_iopl", rc);
	xen_cpu_init();
	boot_tables();
	rc = xen_traps_init();
	if (rc)
		boot_failed("trap table and callbacks", rc);
	rc = xen_events_init();
	if (rc)
		boot_failed("binding VIRQ_TIMER", rc);
	rc = xen_user_init();
	if (rc)
		boot_failed("the user-mode page-table root", rc);

	for (i = 0; i + 1 < sizeof(cmdline) && si->cmd_line[i]; i++)
		cmdline[i] = (char)si->cmd_line[i];
	cmdline[i] = 0;

	env.write = console_write;
	env.fatal = fatal;
	/* We know where we are: no previrt= means xen, any other name is an error. */
	env.platform = &previrt_backend_xen;
	rc = previrt_start(cmdline, &env, __start_previrt_sites, __stop_previrt_sites, &st);
	if (rc)
		runtime_failed((int)rc);

	pvh_info.magic = XEN_HVM_START_MAGIC_VALUE;
	pvh_info.version = 1;
	pvh_info.cmdline_paddr = phys(cmdline);
	/*
	 * The memory map: our pseudo-physical frames are the guest's RAM,
	 * one run from 0 (the P2M makes them contiguous to us).
	 */
	memmap[0].addr = 0;
	memmap[0].size = (uint64_t)si->nr_pages << 12;
	memmap[0].type = XEN_HVM_MEMMAP_TYPE_RAM;
	pvh_info.memmap_paddr = phys(memmap);
	pvh_info.memmap_entries = 1;
	/* The initrd Xen loaded for us, if any, as the PVH module list. */
	if (si->mod_start && si->mod_len) {
		module.paddr = (si->flags & SIF_MOD_START_PFN) ? (uint64_t)si->mod_start << 12
							       : phys((void *)si->mod_start);
		module.size = si->mod_len;
		pvh_info.modlist_paddr = phys(&module);
		pvh_info.nr_modules = 1;
	}
	return &pvh_info;
}
