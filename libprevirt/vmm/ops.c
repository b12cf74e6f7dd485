// SPDX-License-Identifier: MIT
/*
 * The primitive table of a virtual CPU (previrt/vmm.h), with the default
 * of each operation a backend leaves NULL: what bare hardware without
 * the device would do.
 */
#include <previrt/vcpu.h>

static const struct previrt_vmm_ops no_ops;

static const struct previrt_vmm_ops *ops(const struct previrt_vcpu *v)
{
	return v->ops ? v->ops : &no_ops;
}

uint32_t previrt_vmm_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	return ops(v)->port_in ? ops(v)->port_in(v, port, size) : 0xffffffffu;
}

void previrt_vmm_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size,
			  uint32_t value)
{
	if (ops(v)->port_out)
		ops(v)->port_out(v, port, size, value);
}

uint64_t previrt_vmm_mmio_read(struct previrt_vcpu *v, unsigned long addr, unsigned int size)
{
	return ops(v)->mmio_read ? ops(v)->mmio_read(v, addr, size) : previrt_mem_read(addr, size);
}

void previrt_vmm_mmio_write(struct previrt_vcpu *v, unsigned long addr, unsigned int size,
			    uint64_t value)
{
	if (ops(v)->mmio_write)
		ops(v)->mmio_write(v, addr, size, value);
	else
		previrt_mem_write(addr, size, value);
}

void previrt_vmm_idle(struct previrt_vcpu *v)
{
	if (ops(v)->idle)
		ops(v)->idle(v);
}

void previrt_vmm_cpuid(struct previrt_vcpu *v, uint32_t leaf, uint32_t subleaf,
		       uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	if (ops(v)->cpuid)
		ops(v)->cpuid(v, leaf, subleaf, a, b, c, d);
}
