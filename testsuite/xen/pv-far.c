// SPDX-License-Identifier: MIT
/*
 * pv-far: what of the Xen backend the conformance guest does not use: lcall
 * through a far pointer in memory (and the lretq back), lfs loading a
 * segment and a register from one, the PVH start info's memory map and
 * module list (the initrd the harness hands Xen as the second module), and
 * a page fault the VMM takes while emulating (lgdt from an unmapped
 * address), which the guest must see at the lgdt, as natively; and
 * sensitive instructions no sled covers (pv-unpatched.S), which the
 * backend's #GP fallback runs through the same path as a sled.
 * Compiled with the plugin and booted by the backend's PV entry; TAP on
 * Xen's console, then the exit status (QEMU 33 when every check passed).
 */
#include <stdint.h>
#include "xen-pv.h"
#include "xen-vmm.h"
#include <xen/arch-x86/hvm/start_info.h>

void guest_main(const struct hvm_start_info *si);

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_BASED	0x18	/* data, base 0x12345000: a base we can recognise */
#define BASED_BASE	0x12345000u
#define SEL_CODE64_B	0x20	/* a second 64-bit code segment: the far target */

static uint64_t gdt[5] __attribute__((aligned(16)));
static struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gdtr;
static struct __attribute__((packed)) { uint64_t offset; uint16_t sel; } far_code;
static struct __attribute__((packed)) { uint32_t offset; uint16_t sel; } far_data;

volatile uint64_t far_called, far_pushed_cs, far_callee_cs;
static unsigned int checks, failures;

/*
 * The far callee: records its own cs and the cs its caller pushed, returns
 * with lretq.
 */
__asm__(".text\n"
	"pv_far_callee:\n\t"
	"movq $1, far_called(%rip)\n\t"
	"pushq %rax\n\t"
	"movq 16(%rsp), %rax\n\t"
	"movq %rax, far_pushed_cs(%rip)\n\t"
	"xorl %eax, %eax\n\t"
	"movw %cs, %ax\n\t"
	"movq %rax, far_callee_cs(%rip)\n\t"
	"popq %rax\n\t"
	"lretq\n");
extern char pv_far_callee[];

/*
 * The #PF handler: records error code, rip and CR2, resumes at pf_resume.
 * Everything through sleds, as a kernel's handler would be.
 */
volatile uint64_t pf_error = ~0ULL, pf_rip, pf_cr2, pf_resume;
__asm__(".text\n"
	"pv_far_pf_entry:\n\t"
	"popq pf_error(%rip)\n\t"
	"pushq %rax\n\t"
	"movq 8(%rsp), %rax\n\t"
	"movq %rax, pf_rip(%rip)\n\t"
	"movq pf_resume(%rip), %rax\n\t"
	"movq %rax, 8(%rsp)\n\t"
	"movq %cr2, %rax\n\t"
	"movq %rax, pf_cr2(%rip)\n\t"
	"popq %rax\n\t"
	"iretq\n");
extern char pv_far_pf_entry[];

static uint64_t idt[256][2] __attribute__((aligned(16)));
static struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr;

static void put_dec(unsigned long v)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = 0;
	do
		buf[--i] = (char)('0' + v % 10);
	while (v /= 10);
	xen_console_puts(buf + i);
}

static void check(int ok, const char *what, unsigned long got)
{
	checks++;
	failures += !ok;
	xen_console_puts(ok ? "ok " : "not ok ");
	put_dec(checks);
	xen_console_puts(" - ");
	xen_console_puts(what);
	xen_console_puts(" (");
	xen_console_hex(got);
	xen_console_puts(")\n");
}

static uint64_t descriptor(uint32_t base, uint8_t access, uint8_t flags)
{
	return 0xffffULL | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)access << 40 |
	       0xfULL << 48 | (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}

static uint16_t read_cs(void)
{
	uint16_t s;

	__asm__ volatile("mov %%cs, %0" : "=r"(s));
	return s;
}

static uint16_t read_fs(void)
{
	uint16_t s;

	__asm__ volatile("mov %%fs, %0" : "=r"(s));
	return s;
}

void pv_unpatched_swapgs(void);
void pv_unpatched_hlt(void);

static void wrmsr(uint32_t index, uint64_t value)
{
	__asm__ volatile("wrmsr" : : "c"(index), "a"((uint32_t)value), "d"((uint32_t)(value >> 32))
			 : "memory");
}

static uint64_t rdmsr(uint32_t index)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(index));
	return (uint64_t)hi << 32 | lo;
}

void guest_main(const struct hvm_start_info *si)
{
	uint32_t eax;

	xen_console_puts("TAP version 13\n# previrt pv-far: far transfers on the Xen backend\n");
	check(si->magic == XEN_HVM_START_MAGIC_VALUE, "PVH start info magic", si->magic);
	const struct hvm_memmap_table_entry *mm =
		(const void *)(si->memmap_paddr + XEN_PV_VIRT_BASE);
	check(si->memmap_entries == 1 && mm[0].type == XEN_HVM_MEMMAP_TYPE_RAM,
	      "memory map: one RAM run", si->memmap_entries);
	check(mm[0].size == (uint64_t)xen_start_info->nr_pages << 12,
	      "memory map: as large as the domain", mm[0].size);
	check(si->nr_modules == 1, "the initrd is the one module", si->nr_modules);
	if (si->nr_modules == 1) {
		const struct hvm_modlist_entry *m =
			(const void *)(si->modlist_paddr + XEN_PV_VIRT_BASE);
		const char *data = (const char *)(m->paddr + XEN_PV_VIRT_BASE);
		static const char want[] = "previrt pv-far initrd";
		int same = m->size >= sizeof(want) - 1;

		for (unsigned int i = 0; same && i < sizeof(want) - 1; i++)
			same = data[i] == want[i];
		check(same, "the module holds the initrd's bytes", m->size);
	}
	gdt[SEL_CODE64 >> 3] = descriptor(0, 0x9a, 0xa);
	gdt[SEL_DATA >> 3] = descriptor(0, 0x92, 0xc);
	gdt[SEL_BASED >> 3] = descriptor(BASED_BASE, 0x92, 0xc);
	gdt[SEL_CODE64_B >> 3] = descriptor(0, 0x9a, 0xa);
	gdtr.limit = sizeof(gdt) - 1;
	gdtr.base = (uint64_t)gdt;
	__asm__ volatile("lgdt %0" : : "m"(gdtr) : "memory");

	far_code.offset = (uint64_t)pv_far_callee;
	far_code.sel = SEL_CODE64_B;
	__asm__ volatile("rex64 lcall *%0" : : "m"(far_code) : "memory");
	check(far_called == 1, "lcall through a far pointer reached the callee", far_called);
	check(far_callee_cs == SEL_CODE64_B, "the callee runs with the far pointer's cs",
	      far_callee_cs);
	check(far_pushed_cs == SEL_CODE64, "lcall pushed the caller's cs", far_pushed_cs);
	check(read_cs() == SEL_CODE64, "lretq brought the caller's cs back", read_cs());

	far_data.offset = 0x5eed;
	far_data.sel = SEL_BASED;
	__asm__ volatile("lfs %1, %0" : "=r"(eax) : "m"(far_data) : "memory");
	check(eax == 0x5eed, "lfs loads the offset into the register", eax);
	check(read_fs() == SEL_BASED, "lfs loads the selector into fs", read_fs());
	check(rdmsr(0xc0000100u) == BASED_BASE, "fs base is the descriptor's base",
	      rdmsr(0xc0000100u));
	check((gdt[SEL_BASED >> 3] >> 40) & 1, "the load marked the descriptor accessed",
	      gdt[SEL_BASED >> 3] >> 40 & 0xff);
	__asm__ volatile("mov %0, %%fs" : : "r"(0) : "memory");
	check(rdmsr(0xc0000100u) == 0, "a null fs has base 0 again", rdmsr(0xc0000100u));

	/* An interrupt gate for #PF, then lgdt from an address nothing maps. */
	uint64_t h = (uint64_t)pv_far_pf_entry;
	idt[14][0] = (h & 0xffff) | (uint64_t)SEL_CODE64 << 16 | 0x8eULL << 40 |
		     (h >> 16 & 0xffff) << 48;
	idt[14][1] = h >> 32;
	idtr.limit = sizeof(idt) - 1;
	idtr.base = (uint64_t)idt;
	__asm__ volatile("lidt %0" : : "m"(idtr) : "memory");
	uint64_t at, unmapped = 0x20000000000ULL;	/* 2 TiB: in no tree of ours */
	__asm__ volatile("leaq 1f(%%rip), %0\n\t"
			 "leaq 2f(%%rip), %%rax\n\t"
			 "movq %%rax, pf_resume(%%rip)\n"
			 "1:\tlgdt (%1)\n"
			 "2:"
			 : "=&r"(at) : "r"(unmapped) : "rax", "memory");
	check(pf_error == 0, "lgdt from an unmapped page: #PF, not-present read", pf_error);
	check(pf_rip == at, "the fault is at the lgdt itself", pf_rip);
	check(pf_cr2 == unmapped, "CR2 is the operand's address", pf_cr2);
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } now;
	__asm__ volatile("sgdt %0" : "=m"(now));
	check(now.base == (uint64_t)gdt, "the faulting lgdt left the GDT alone", now.base);

	/* Unpatched: #GP on Xen, then libprevirt's fallback through xen_handle() */
	wrmsr(0xc0000101u, 0x1111000ULL);	/* GS_BASE */
	wrmsr(0xc0000102u, 0x2222000ULL);	/* KERNEL_GS_BASE */
	pv_unpatched_swapgs();
	check(rdmsr(0xc0000101u) == 0x2222000ULL, "an unpatched swapgs: GS_BASE is the kernel's",
	      rdmsr(0xc0000101u));
	check(rdmsr(0xc0000102u) == 0x1111000ULL, "an unpatched swapgs: KERNEL_GS_BASE swapped",
	      rdmsr(0xc0000102u));
	pv_unpatched_swapgs();
	wrmsr(0xc0000101u, 0);
	__asm__ volatile("cli" ::: "memory");	/* a sled: IF clear, so hlt cannot wait */
	unsigned long halts = xen_vmm.cpu.halts;
	pv_unpatched_hlt();
	check(xen_vmm.cpu.halts == halts + 1, "an unpatched hlt is the virtual CPU's (IF clear: no wait)",
	      xen_vmm.cpu.halts - halts);

	xen_console_puts("1..");
	put_dec(checks);
	xen_console_puts("\n");
	xen_pv_exit_status(failures ? 0x11 : 0x10);
}
