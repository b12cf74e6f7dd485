// SPDX-License-Identifier: MIT
/*
 * Privileged instructions running to completion in ring 3.
 *
 * A test backend routes every class the virtual CPU model emulates
 * through the generic dispatcher to previrt_vcpu_emulate(), with ports
 * and device memory recorded by the hooks below.  After previrt_boot()
 * the program executes cli, sti, hlt, in, out, rep outs, MMIO moves, mov
 * to/from %cr0/%cr3/%cr4, lidt/sidt/lgdt/ltr, wrmsr/rdmsr, invlpg,
 * wbinvd, stac/clac, rdtsc, cpuid and mov from %cs, none of which would
 * survive a user-space run unpatched, and checks the virtual CPU's state
 * after each.  The record that lies about its sled must be refused and
 * its bytes left as they were.
 */
#include <string.h>
#include <previrt/vcpu.h>
#include "rt-check.h"
#include "rt-sites.h"

#define IF_BIT 0x200UL

static struct previrt_vcpu vcpu;

static struct { unsigned int port, size; uint32_t val; } outs[64];
static int nouts;
static struct { unsigned long addr; unsigned int size; uint64_t val; } mmio_w[8];
static int nmmio_w;
static unsigned long mmio_r_addr;
static volatile uint32_t device[4];	/* the "device": never touched directly */

static uint32_t t_port_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	(void)v; (void)size;
	if (port == 0x3fd)
		return 0x60;		/* 8250 LSR: transmitter empty */
	if (port == 0x71)
		return 0x12345678;
	return 0xffffffff;
}

static void t_port_out(struct previrt_vcpu *v, unsigned int port, unsigned int size, uint32_t val)
{
	(void)v;
	if (nouts < 64) {
		outs[nouts].port = port;
		outs[nouts].size = size;
		outs[nouts].val = val;
		nouts++;
	}
}

static uint64_t t_mmio_read(struct previrt_vcpu *v, unsigned long addr, unsigned int size)
{
	(void)v; (void)size;
	mmio_r_addr = addr;
	return 0xcafef00d;
}

static void t_mmio_write(struct previrt_vcpu *v, unsigned long addr, unsigned int size,
			 uint64_t val)
{
	(void)v;
	if (nmmio_w < 8) {
		mmio_w[nmmio_w].addr = addr;
		mmio_w[nmmio_w].size = size;
		mmio_w[nmmio_w].val = val;
		nmmio_w++;
	}
}

static void t_cpuid(struct previrt_vcpu *v, uint32_t leaf, uint32_t sub, uint32_t *a,
		    uint32_t *b, uint32_t *c, uint32_t *d)
{
	(void)v; (void)sub; (void)a; (void)b; (void)d;
	if (leaf == 1)
		*c |= 1u << 31;		/* "running under a hypervisor" */
}

static int t_handle(struct previrt_vcpu *v, struct previrt_regs *regs,
		    const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	return previrt_vcpu_emulate(v, regs, insn, site);
}

static const struct previrt_vmm_ops t_ops = {
	.port_in = t_port_in, .port_out = t_port_out,
	.mmio_read = t_mmio_read, .mmio_write = t_mmio_write, .cpuid = t_cpuid,
};

static struct previrt_backend vcpu_backend = {
	.name = "vcpu-test",
	.handle = t_handle,
	.vcpu = &vcpu,
};

static const struct previrt_backend *const extra[] = { &vcpu_backend, NULL };

int main(void)
{
	const struct previrt_site *s;
	unsigned char lying_before[8];
	struct previrt_stats st;
	struct previrt_env env;
	struct rt_dtr idt = { 0xfff, (unsigned long)0xffffffff81000000ULL }, gdt = { 0x7f, 0x1000 };
	struct rt_dtr got;
	unsigned int c, n = (unsigned int)(__stop_previrt_sites - __start_previrt_sites);
	unsigned long f;
	uint32_t id[4];
	uint64_t t0;
	int rc;

	for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
		if (previrt_vcpu_emulates_class(c))
			vcpu_backend.fill[c] = PREVIRT_FILL_GENERIC;
	vcpu.ops = &t_ops;
	vcpu.if_flag = 0;

	memcpy(lying_before, rt_lying_sled, 8);
	previrt_hosted_env(&env);
	env.extra_backends = extra;
	rc = previrt_boot("console=ttyS0 previrt=vcpu-test quiet", &env, &st);
	CHECK(rc == PREVIRT_OK, "previrt_boot with the test backend");
	CHECK(n >= 30 && st.sites == n, "all %u records seen (%u)", n, st.sites);
	CHECK(st.refused == 1 && st.refused_by_class[PREVIRT_CLASS_CLI] == 1,
	      "exactly the lying record refused (%u)", st.refused);
	CHECK(st.patched == n - 1, "every other site patched (%u of %u)", st.patched, n);
	CHECK(memcmp(lying_before, rt_lying_sled, 8) == 0, "the refused sled is byte-exact");
	for (s = __start_previrt_sites; s < __stop_previrt_sites; s++)
		if (previrt_site_sled(s) != rt_lying_sled && previrt_site_sled(s)[0] != 0xe8)
			break;
	CHECK(s == __stop_previrt_sites, "every patched sled starts with a call");

	rt_sti();
	CHECK(vcpu.if_flag == 1, "sti sets the virtual IF");
	rt_cli();
	CHECK(vcpu.if_flag == 0, "cli clears it");
	f = rt_save_flags();
	CHECK(!(f & IF_BIT), "pushf shows IF clear");
	rt_sti();
	CHECK(rt_save_flags() & IF_BIT, "pushf shows IF set after sti");
	rt_restore_flags(f);
	CHECK(vcpu.if_flag == 0, "popf restores IF clear");
	rt_restore_flags(f | IF_BIT);
	CHECK(vcpu.if_flag == 1, "popf sets IF");
	CHECK(rt_pushf_popf_stack_exact(), "pushf/popf move the stack by one word and back");

	rt_hlt();
	CHECK(vcpu.halts == 1, "hlt reaches the model");

	outb('A', 0x3f8);
	outb_p(0x99);
	CHECK(nouts == 2 && outs[0].port == 0x3f8 && outs[0].size == 1 && outs[0].val == 'A',
	      "outb to 0x3f8 recorded");
	CHECK(outs[1].port == 0x80 && outs[1].val == 0x99, "outb to immediate port 0x80");
	CHECK(inb(0x3fd) == 0x60, "inb from 0x3fd");
	CHECK(inl(0x71) == 0x12345678, "inl from 0x71");
	outsb(0x2f8, "ok!", 3);
	CHECK(nouts == 5 && outs[2].port == 0x2f8 && outs[2].val == 'o' && outs[3].val == 'k' &&
	      outs[4].val == '!', "rep outsb: three bytes in order");

	{
		static const uint16_t w[2] = { 0x1234, 0xabcd };
		outsw(0x1f0, w, 2);
	}
	CHECK(nouts == 7 && outs[5].port == 0x1f0 && outs[5].size == 2 && outs[5].val == 0x1234 &&
	      outs[6].val == 0xabcd, "rep; outsw (prefix as its own statement): two words");

	writel(0xdeadbeef, &device[1]);
	CHECK(nmmio_w == 1 && mmio_w[0].addr == (unsigned long)&device[1] && mmio_w[0].size == 4 &&
	      mmio_w[0].val == 0xdeadbeef, "writel goes to the device model");
	CHECK(device[1] == 0, "... and not to memory");
	CHECK(readl(&device[2]) == 0xcafef00d && mmio_r_addr == (unsigned long)&device[2],
	      "readl comes from the device model");

	rt_write_cr3(0x1234000);
	CHECK(vcpu.cr3 == 0x1234000 && rt_read_cr3() == 0x1234000, "mov to/from %%cr3");
	CHECK(vcpu.tlb_flushes == 1, "a cr3 load flushes the virtual TLB");
	rt_write_cr0(0x80050033);
	CHECK(rt_read_cr0() == 0x80050033, "mov to/from %%cr0");
	rt_write_cr4(0x6f0);
	CHECK(vcpu.cr4 == 0x6f0, "mov to %%cr4");

	rt_lidt(&idt);
	CHECK(vcpu.idtr.base == idt.base && vcpu.idtr.limit == 0xfff, "lidt loads the virtual IDTR");
	rt_sidt(&got);
	CHECK(got.base == idt.base && got.limit == idt.limit, "sidt reads it back, not the host's");
	rt_lgdt(&gdt);
	CHECK(vcpu.gdtr.base == 0x1000 && vcpu.gdtr.limit == 0x7f, "lgdt");
	rt_ltr(0x40);
	CHECK(vcpu.tr == 0x40, "ltr");

	rt_wrmsr(0xc0000080, 0xd01);
	rt_wrmsr(0x1b, 0xfee00900);
	CHECK(rt_rdmsr(0xc0000080) == 0xd01 && rt_rdmsr(0x1b) == 0xfee00900, "wrmsr/rdmsr: EFER, APIC base");
	rt_wrmsr(0xc0000101, 0xffff888000000000ULL);
	CHECK(vcpu.gs_base == (unsigned long)0xffff888000000000ULL || sizeof(long) == 4,
	      "wrmsr GS_BASE reaches the model");

	rt_invlpg((const void *)(uintptr_t)&device[0]);
	CHECK(vcpu.last_invlpg == (unsigned long)&device[0], "invlpg address");
	rt_wbinvd();
	CHECK(vcpu.cache_flushes == 1, "wbinvd");
	rt_stac();
	CHECK(vcpu.ac_flag == 1, "stac");
	rt_clac();
	CHECK(vcpu.ac_flag == 0, "clac");

	vcpu.tsc_offset = (int64_t)1 << 50;
	t0 = rt_rdtsc();
	CHECK(t0 >= (uint64_t)1 << 50, "rdtsc includes the virtual offset");
	rt_cpuid(1, id);
	CHECK(id[2] & (1u << 31), "cpuid leaf 1 shows the hypervisor bit");
	rt_cpuid(0, id);
	CHECK(id[1] != 0 && id[0] >= 1, "cpuid leaf 0 still reports the vendor");
	CHECK((rt_read_cs() & 3) == 0, "mov %%cs shows RPL 0 to the guest");

	CHECK(rt_cli_keeps_registers(), "every general register survives a dispatched cli");
	CHECK(rt_cli_keeps_flags(), "CF and DF survive a dispatched cli");
	CHECK(vcpu.emulated > 30, "the model emulated %lu instructions", vcpu.emulated);
	return rt_done();
}
