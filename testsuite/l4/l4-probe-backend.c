/* SPDX-License-Identifier: MIT */
/*
 * l4-probe, second part: the backend itself (previrt_backend_l4) on the
 * real kernel. Its class table must route exactly the classes the virtual
 * CPU, the segmentation model and its own iret emulate; init must find the KIP, the UTCB and the pager; and its
 * handler must emulate a decoded mov to CR3 and an invlpg against the
 * virtual CPU and flush the mappings with Unmap, the probe carrying on
 * afterwards on pages its pager (sigma0) maps back.
 */
#include <previrt/abi.h>
#include <previrt/vcpu.h>
#include <previrt/vseg.h>
#include <previrt/x86-insn.h>
#include "l4-backend.h"
#include "l4-probe-out.h"

void l4_probe_backend(void);

static int class_table_matches_vcpu(void)
{
	for (unsigned int k = 1; k < PREVIRT_CLASS_COUNT; k++) {
		/* cli, sti, pushf, popf: inline (the virtual IF), emulated all the same */
		int inline_ok = k == PREVIRT_CLASS_CLI || k == PREVIRT_CLASS_STI ||
				k == PREVIRT_CLASS_PUSHF || k == PREVIRT_CLASS_POPF;
		int routed = previrt_backend_l4.fill[k] == PREVIRT_FILL_GENERIC ||
			     (inline_ok && previrt_backend_l4.fill[k] == PREVIRT_FILL_INLINE);
		int emulated = previrt_vcpu_emulates_class(k) || previrt_vseg_emulates_class(k) ||
			       k == PREVIRT_CLASS_KRET;

		if (routed != emulated)
			return 0;
		if (!routed && previrt_backend_l4.fill[k] != PREVIRT_FILL_REFUSE)
			return 0;
	}
	return 1;
}

/* Decode bytes as 32-bit code and run them through the backend's handler. */
static int handle(const uint8_t *bytes, unsigned int n, unsigned int klass,
		  struct previrt_regs *regs)
{
	struct pv_x86_insn insn;
	struct previrt_site site = { .version = PREVIRT_ABI_VERSION, .arch = PREVIRT_ARCH_X86_32,
				     .klass = (unsigned char)klass };

	if (pv_x86_decode(bytes, n, 32, &insn) != (int)n)
		return -1;
	return previrt_backend_l4.handle(previrt_backend_l4.vcpu, regs, &insn, &site);
}

void l4_probe_backend(void)
{
	static const uint8_t mov_eax_cr3[] = { 0x0f, 0x22, 0xd8 };
	static const uint8_t invlpg_eax[] = { 0x0f, 0x01, 0x38 };
	static volatile uint32_t touched = 1;
	struct previrt_regs regs = { 0 };

	probe_check(class_table_matches_vcpu(),
		    "backend: routes exactly the classes it emulates, refuses the rest");
	probe_eq((uint32_t)previrt_backend_l4.init(0), 0, "backend: init finds the KIP and the UTCB");
	probe_eq(l4_vmm.monitor, l4_kip_sigma0(&l4_vmm.kip), "backend: the monitor is the pager");
	probe_check(l4_vmm.cpu.ops && l4_vmm.cpu.ops->port_in && l4_vmm.cpu.ops->port_out &&
		    l4_vmm.cpu.ops->idle, "backend: port and idle primitives set");

	regs.ax = 0x00123000;
	probe_eq((uint32_t)handle(mov_eax_cr3, sizeof(mov_eax_cr3), PREVIRT_CLASS_CR, &regs), 0,
		 "backend: mov %eax, %cr3 emulated");
	probe_eq((uint32_t)l4_vmm.cpu.cr3, 0x00123000, "backend: the virtual CR3 holds the value");
	probe_eq((uint32_t)l4_vmm.unmaps, 1, "backend: the CR3 load flushed the user half with Unmap");
	touched++;
	probe_eq(touched, 2, "backend: the probe's own pages came back after the flush");

	regs.ax = (unsigned long)&touched;
	probe_eq((uint32_t)handle(invlpg_eax, sizeof(invlpg_eax), PREVIRT_CLASS_TLB, &regs), 0,
		 "backend: invlpg (%eax) emulated");
	probe_eq((uint32_t)l4_vmm.cpu.last_invlpg, (uint32_t)(unsigned long)&touched,
		 "backend: the virtual CPU saw the invlpg address");
	probe_eq((uint32_t)l4_vmm.unmaps, 2, "backend: invlpg flushed one page with Unmap");
	touched++;
	probe_eq(touched, 3, "backend: the flushed page came back on the next access");
}
