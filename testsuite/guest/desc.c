/* SPDX-License-Identifier: MIT */
/* The GDT, TSS and LDT the guest loads (see desc.h for what each entry is for). */
#include "desc.h"

#ifdef __x86_64__
/* 64-bit TSS: only the stack pointers matter; no I/O bitmap. */
struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
};
_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");
#else
/*
 * 32-bit TSS: only ESP0/SS0 matter (the stack for an interrupt from CPL 3);
 * no hardware task switches, no I/O bitmap. Named tss64 so that the code
 * below serves both builds.
 */
struct __attribute__((packed)) tss64 {
	uint32_t link;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap;
	uint16_t iomap_base;
};
_Static_assert(sizeof(struct tss64) == 104, "32-bit TSS is 104 bytes");
#endif

/* A separate stack for #DF (IST1), so that a stack overflow still reports. */
static uint8_t double_fault_stack[8192] __attribute__((aligned(16)));
/* The stack the CPU switches to (TSS.RSP0) for an interrupt from CPL 3. */
uint8_t ring0_stack[8192] __attribute__((aligned(16)));
static struct tss64 tss;

uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
uint64_t ldt[1] __attribute__((aligned(16)));
struct desc_ptr gdt_ptr;

/* A code/data descriptor from its parts (base limited to 32 bits). */
static uint64_t segment_descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (uint64_t)(limit & 0xffff)
	     | (uint64_t)(base & 0xffffff) << 16
	     | (uint64_t)access << 40
	     | (uint64_t)((limit >> 16) & 0xf) << 48
	     | (uint64_t)(flags & 0xf) << 52
	     | (uint64_t)(base >> 24) << 56;
}

void desc_setup(void)
{
	uint64_t tss_base = (uintptr_t)&tss;

#ifdef __x86_64__
	tss.ist[0] = (uint64_t)(double_fault_stack + sizeof(double_fault_stack));
	tss.rsp[0] = (uint64_t)(ring0_stack + sizeof(ring0_stack));
#else
	/* No IST in legacy mode: #DF arrives on the current stack. */
	(void)double_fault_stack;
	tss.esp0 = (uint32_t)(ring0_stack + sizeof(ring0_stack));
	tss.ss0 = SEL_DATA;
#endif
	tss.iomap_base = sizeof(tss);

	gdt[0] = 0;
#ifdef __x86_64__
	gdt[SEL_CODE64 >> 3] = segment_descriptor(0, 0xfffff, 0x9a, 0xa);	/* L, G */
#else
	gdt[SEL_CODE64 >> 3] = segment_descriptor(0, 0xfffff, 0x9a, 0xc);	/* D/B, G */
#endif
	gdt[SEL_DATA >> 3] = segment_descriptor(0, 0xfffff, 0x92, 0xc);	/* D/B, G */
	gdt[SEL_TESTDATA >> 3] = segment_descriptor(0, TESTDATA_LIMIT, 0x92, 0x4);
	/* Available TSS (type 9); in long mode the upper half holds base bits
	 * 32..63, in the i386 build it stays an unused null entry. */
	gdt[SEL_TSS >> 3] = segment_descriptor((uint32_t)tss_base, sizeof(tss) - 1, 0x89, 0);
	gdt[(SEL_TSS >> 3) + 1] = tss_base >> 32;
	/* LDT (type 2), holding one writable data segment. */
	uint64_t ldt_base = (uintptr_t)ldt;
	ldt[0] = segment_descriptor(0, LDT_DATA_LIMIT, 0x92, 0x4);
	gdt[SEL_LDT >> 3] = segment_descriptor((uint32_t)ldt_base, sizeof(ldt) - 1, 0x82, 0);
	gdt[(SEL_LDT >> 3) + 1] = ldt_base >> 32;
	gdt[SEL_SYSRET_BASE >> 3] = segment_descriptor(0, 0xfffff, 0xfa, 0xc);	/* D/B, G */
	gdt[SEL_USER_DATA >> 3] = segment_descriptor(0, 0xfffff, 0xf2, 0xc);
#ifdef __x86_64__
	gdt[SEL_USER_CODE64 >> 3] = segment_descriptor(0, 0xfffff, 0xfa, 0xa);	/* L, G */
#else
	gdt[SEL_USER_CODE64 >> 3] = segment_descriptor(0, 0xfffff, 0xfa, 0xc);	/* D/B, G */
#endif
	gdt[SEL_NOT_PRESENT >> 3] = segment_descriptor(0, 0xfffff, 0x12, 0xc);	/* P clear */

	gdt_ptr.limit = sizeof(gdt) - 1;
	gdt_ptr.base = (unsigned long)gdt;
	cpu_lgdt(&gdt_ptr);
	cpu_load_cs(SEL_CODE64);
	cpu_load_ss(SEL_DATA);
	cpu_load_ds(SEL_DATA);
	cpu_load_es(SEL_DATA);
	cpu_ltr(SEL_TSS);
}
