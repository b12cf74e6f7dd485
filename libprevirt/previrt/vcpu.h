/* SPDX-License-Identifier: MIT */
/*
 * The virtual CPU of the in-place VMM: the privileged state a kernel
 * believes it has, and the emulation of a decoded sensitive instruction
 * against it.  Hypervisor-neutral (DESIGN 4b): a backend routes its
 * GENERIC classes here and supplies only the primitives behind the
 * hooks (ports, device memory, idling); the same code serves the user-
 * space test backend, Xen and L4.
 *
 * The guest's memory is the VMM's memory (in place), so memory operands
 * are accessed directly at their effective address; %fs/%gs-relative
 * operands add the bases the backend keeps in fs_base/gs_base.
 */
#ifndef PREVIRT_VCPU_H
#define PREVIRT_VCPU_H

#include <stdint.h>
#include <previrt/backend.h>

#define PREVIRT_VCPU_MSRS	32

struct previrt_dtr {
	unsigned long base;
	unsigned short limit;
};

struct previrt_vcpu {
	int if_flag;			/* the guest's interrupt flag */
	int ac_flag;			/* stac/clac: the guest's EFLAGS.AC */
	unsigned int cpl;		/* privilege level the guest believes it has */
	unsigned long cr0, cr2, cr3, cr4, cr8;
	unsigned long dr[8];
	uint64_t xcr0;
	struct previrt_dtr gdtr, idtr;
	unsigned short ldtr, tr;
	unsigned long fs_base, gs_base, kernel_gs_base;
	int64_t tsc_offset;		/* added to the host's TSC */
	struct { uint32_t index; uint64_t value; } msr[PREVIRT_VCPU_MSRS];
	unsigned int nmsr;
	unsigned long monitor_addr;
	/* Event counts, for backends' statistics and for tests. */
	unsigned long halts, tlb_flushes, cache_flushes, emulated;
	unsigned long last_invlpg;

	/* Primitives a backend provides; NULL hooks have the documented default. */
	/* Port read; NULL: all ones, as from an absent device. */
	uint32_t (*port_in)(struct previrt_vcpu *v, unsigned int port, unsigned int size);
	/* Port write; NULL: dropped. */
	void (*port_out)(struct previrt_vcpu *v, unsigned int port, unsigned int size,
			 uint32_t value);
	/* Device memory; NULL: plain memory access at the address. */
	uint64_t (*mmio_read)(struct previrt_vcpu *v, unsigned long addr, unsigned int size);
	void (*mmio_write)(struct previrt_vcpu *v, unsigned long addr, unsigned int size,
			   uint64_t value);
	/* hlt/mwait with interrupts enabled: wait for an event; NULL: return at once. */
	void (*idle)(struct previrt_vcpu *v);
	/* Adjust what cpuid reports (registers already hold the host's answer). */
	void (*cpuid)(struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
		      uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);
	void *opaque;
};

/*
 * Emulate insn (from site) on v with the registers in regs; regs->ip
 * already points past the sled.  Returns 0, or -1 for an instruction this
 * model does not emulate (far transfers, kernel returns, segment loads,
 * VMX...): the backend should then keep those classes native, refuse
 * them at patch time, or (segments, far transfers) route them to
 * previrt_vseg_emulate() (previrt/vseg.h).
 */
int previrt_vcpu_emulate(struct previrt_vcpu *v, struct previrt_regs *regs,
			 const struct pv_x86_insn *insn, const struct previrt_site *site);

/*
 * A plain memory access of 1, 2, 4 or 8 bytes at addr: what the virtual
 * CPU does for device memory without an mmio hook, and what a backend's
 * hook does for the addresses that are not its devices'.
 */
uint64_t previrt_mem_read(unsigned long addr, unsigned int size);
void previrt_mem_write(unsigned long addr, unsigned int size, uint64_t value);

/* MSR store of the model: 0 and *value, or -1 when never written. */
int previrt_vcpu_get_msr(const struct previrt_vcpu *v, uint32_t index, uint64_t *value);
int previrt_vcpu_set_msr(struct previrt_vcpu *v, uint32_t index, uint64_t value);

/* The guest-visible flags: host arithmetic flags with the virtual IF/IOPL/AC. */
unsigned long previrt_vcpu_flags(const struct previrt_vcpu *v, unsigned long host_flags);

/*
 * For a backend's cpuid hook: the feature bits that describe the virtual
 * CPU rather than the host's. OSXSAVE (leaf 1 ecx 27) and OSPKE (leaf 7
 * ecx 4) follow the virtual CR4; MONITOR (leaf 1 ecx 3) and SMAP (leaf 7
 * ebx 20) are always shown, because monitor/mwait and stac/clac are
 * sensitive instructions the VMM emulates whatever the host has.
 */
void previrt_vcpu_cpuid_adjust(const struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
			       uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

/* The classes previrt_vcpu_emulate() handles completely. */
int previrt_vcpu_emulates_class(unsigned int klass);

#endif /* PREVIRT_VCPU_H */
