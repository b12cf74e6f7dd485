/* SPDX-License-Identifier: MIT */
/*
 * Descriptor tables: sgdt/sidt must give back exactly what lgdt/lidt
 * loaded (a hypervisor's own tables must not show through), and ltr must
 * have marked the TSS descriptor busy and made str report its selector.
 * desc_setup() and trap_setup() did the loads before any case ran.
 */
#include "cpu.h"
#include "desc.h"
#include "tap.h"
#include "tests.h"
#include "trap.h"

void test_desc(void)
{
	struct desc_ptr p;

	tap_case("desc");

	cpu_sgdt(&p);
	tap_eq(p.base, gdt_ptr.base, "sgdt base is the loaded GDT");
	tap_eq(p.limit, gdt_ptr.limit, "sgdt limit is the loaded GDT's");
	cpu_sidt(&p);
	tap_eq(p.base, idt_ptr.base, "sidt base is the loaded IDT");
	tap_eq(p.limit, idt_ptr.limit, "sidt limit is the loaded IDT's");

	tap_eq(cpu_str(), SEL_TSS, "str reports the selector ltr loaded");
	tap_eq(gdt_access_byte(SEL_TSS >> 3) & 0x0f, 0x9 | DESC_TSS_BUSY,
	       "ltr marked the TSS descriptor busy");
	tap_eq(cpu_read_cs(), SEL_CODE64, "cs is the reloaded code selector");

	/* An LDT: lldt, sldt, and a segment load through it. */
	tap_eq(cpu_sldt(), 0, "sldt: no LDT before lldt");
	cpu_lldt(SEL_LDT);
	tap_eq(cpu_sldt(), SEL_LDT, "sldt reports the selector lldt loaded");
	tap_eq((uint64_t)cpu_lsl(SEL_LDT_DATA), LDT_DATA_LIMIT, "lsl reads a descriptor in the LDT");
	cpu_load_es(SEL_LDT_DATA);
	tap_eq(cpu_read_es(), SEL_LDT_DATA, "es loaded from the LDT");
	tap_eq((ldt[0] >> 40) & DESC_ACCESSED, DESC_ACCESSED, "the load marked the LDT entry accessed");
	cpu_load_es(SEL_DATA);
	cpu_lldt(0);
	tap_eq(cpu_sldt(), 0, "lldt with the null selector drops the LDT");
	tap_eq((uint64_t)cpu_lsl(SEL_LDT_DATA), (uint64_t)-1, "without an LDT its selectors are invalid");

	/* Reload the same tables: lgdt and lidt are idempotent. */
	cpu_lgdt(&gdt_ptr);
	cpu_lidt(&idt_ptr);
	cpu_sgdt(&p);
	tap_eq(p.base, gdt_ptr.base, "sgdt after a second lgdt");
	cpu_sidt(&p);
	tap_eq(p.base, idt_ptr.base, "sidt after a second lidt");
}
