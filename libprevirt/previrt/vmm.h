/* SPDX-License-Identifier: MIT */
/*
 * The primitive interface of the in-place VMM: what a hypervisor backend
 * gives the hypervisor-neutral core (libprevirt/vmm/, vcpu.c) so that the
 * core can run a guest on it.  The shape is pv-ops: one table per
 * backend, one entry per operation, and an entry left NULL takes the
 * default written beside it, so a backend overrides only what differs
 * from bare hardware.  Every call takes the virtual CPU it acts for
 * (struct previrt_vcpu, previrt/vcpu.h): the core keeps no singleton, and
 * a second virtual CPU is a second struct with the same table.
 *
 * The core calls the table through the previrt_vmm_*() functions below,
 * never directly, so that the defaults are applied in one place.
 *
 *  operation    default (entry NULL)        Xen                 L4
 *  port_in      all ones (no device)        virtual 8250, Xen   IPC to the monitor
 *  port_out     dropped                     idem                idem
 *  mmio_read    plain load at the address   local APIC page     local APIC page
 *  mmio_write   plain store                 idem                idem
 *  idle         return at once              SCHEDOP_block       IPC wait
 *  cpuid        host's answer as it is      forced-emulation    host's, adjusted
 *
 * The memory and time primitives of the virtual TLB and the device
 * models (install/remove a mapping, switch address space, arm a timer,
 * read time) join this table with those models.
 */
#ifndef PREVIRT_VMM_H
#define PREVIRT_VMM_H

#include <stdint.h>

struct previrt_vcpu;

struct previrt_vmm_ops {
	/* Port read of size 1, 2 or 4 bytes. */
	uint32_t (*port_in)(struct previrt_vcpu *v, unsigned int port, unsigned int size);
	/* Port write; value already cut to size. */
	void (*port_out)(struct previrt_vcpu *v, unsigned int port, unsigned int size,
			 uint32_t value);
	/* Device memory at a guest virtual address (the guest's memory is ours). */
	uint64_t (*mmio_read)(struct previrt_vcpu *v, unsigned long addr, unsigned int size);
	void (*mmio_write)(struct previrt_vcpu *v, unsigned long addr, unsigned int size,
			   uint64_t value);
	/*
	 * hlt/mwait: wait for an event.  Called with the guest's IF as
	 * v->if_flag says; must wake on an interrupt the guest would take.
	 */
	void (*idle)(struct previrt_vcpu *v);
	/* Adjust what cpuid reports (the registers hold the host's answer). */
	void (*cpuid)(struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
		      uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);
};

/* The table of v (v->ops), with the defaults above (vmm/ops.c). */
uint32_t previrt_vmm_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size);
void previrt_vmm_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size,
			  uint32_t value);
uint64_t previrt_vmm_mmio_read(struct previrt_vcpu *v, unsigned long addr, unsigned int size);
void previrt_vmm_mmio_write(struct previrt_vcpu *v, unsigned long addr, unsigned int size,
			    uint64_t value);
void previrt_vmm_idle(struct previrt_vcpu *v);
void previrt_vmm_cpuid(struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
		       uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d);

#endif /* PREVIRT_VMM_H */
