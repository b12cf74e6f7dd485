// SPDX-License-Identifier: MIT
/*
 * The operations pv-bench (Xen, x86-64) and l4-bench (testsuite/l4, i386)
 * time, as loops of n iterations. This one source is compiled twice:
 *
 *  with -fplugin=previrt and -DPV_BENCH_PREVIRT: the pv_* loops, whose
 *  sensitive instructions the backend rewrote at boot (cli inline, sti,
 *  pushf and popf through stubs, the rest through the generic dispatcher
 *  into the in-place VMM): the pre-virtualized path;
 *
 *  without the plugin: the raw_* loops, the bare instructions, as an
 *  unmodified kernel would run them: the trap-and-emulate path.
 *    cli/sti     with I/O privilege 0 they raise #GP; Xen bounces it to the
 *                VMM's trap handler (on L4, the VMM thread), which emulates
 *                them and steps over;
 *    pushf/popf  never trap: they run at native speed and read or set the
 *                real IF, which is the wrong one (listed for reference);
 *    out         Xen's I/O emulation (dom0 with I/O privilege); on L4 an
 *                I/O-fpage fault, emulated by the VMM thread;
 *    mov cr3     emulated by Xen, a real address-space switch; on L4 #GP,
 *                emulated by the VMM thread.
 *
 * pushf/popf without a suffix: the native word, as a kernel uses them.
 */
#include "pv-bench.h"

#ifdef PV_BENCH_PREVIRT
#define OP(name)	pv_##name
#else
#define OP(name)	raw_##name
#endif

#define COM1_SCRATCH	0x3ff	/* a register of the VMM's virtual 8250 */

void OP(cli_sti)(unsigned long n)
{
	while (n--) {
		__asm__ volatile("cli" ::: "memory");
		__asm__ volatile("sti" ::: "memory");
	}
	__asm__ volatile("cli" ::: "memory");
}

void OP(pushf_popf)(unsigned long n)
{
	while (n--)
		__asm__ volatile("pushf; popf" ::: "memory", "cc");
}

void OP(port_out)(unsigned long n)
{
	while (n--)
		__asm__ volatile("outb %%al, %%dx" : : "a"(0x5a), "d"(COM1_SCRATCH));
}

void OP(cr3_write)(unsigned long n)
{
	unsigned long cr3;

	/* on Xen the raw read gives back the machine address of the real root */
	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	while (n--)
		__asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}
