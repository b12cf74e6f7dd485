/* SPDX-License-Identifier: MIT */
/*
 * Segment registers: loads and reads of every data segment register, the
 * accessed bit the CPU writes into the descriptor, and the instructions
 * that inspect a descriptor (lar, lsl, verr, verw).
 */
#include "cpu.h"
#include "desc.h"
#include "tap.h"
#include "tests.h"

#define SEL_BEYOND_GDT	(GDT_ENTRIES << 3)

void test_segments(void)
{
	tap_case("segments");

	tap_eq(gdt_access_byte(SEL_TESTDATA >> 3) & DESC_ACCESSED, 0,
	       "test descriptor starts not accessed");
	cpu_load_ds(SEL_TESTDATA);
	tap_eq(cpu_read_ds(), SEL_TESTDATA, "mov to ds, mov from ds");
	tap_eq(gdt_access_byte(SEL_TESTDATA >> 3) & DESC_ACCESSED, DESC_ACCESSED,
	       "loading ds set the descriptor's accessed bit");
	cpu_load_es(SEL_TESTDATA);
	tap_eq(cpu_read_es(), SEL_TESTDATA, "mov to es, mov from es");
	cpu_load_fs(SEL_TESTDATA);
	tap_eq(cpu_read_fs(), SEL_TESTDATA, "mov to fs, mov from fs");
	cpu_load_gs(SEL_TESTDATA);
	tap_eq(cpu_read_gs(), SEL_TESTDATA, "mov to gs, mov from gs");
	cpu_load_ss(SEL_TESTDATA);
	tap_eq(cpu_read_ss(), SEL_TESTDATA, "mov to ss, mov from ss");

	cpu_load_ss(SEL_DATA);
	cpu_load_ds(SEL_DATA);
	cpu_load_es(SEL_DATA);
	cpu_load_fs(0);
	cpu_load_gs(0);
	tap_eq(cpu_read_ds(), SEL_DATA, "ds back to the flat data selector");
	tap_eq(cpu_read_fs(), 0, "fs holds the null selector");

	tap_eq((uint64_t)cpu_lsl(SEL_TESTDATA), TESTDATA_LIMIT, "lsl gives the byte-granular limit");
	tap_eq((uint64_t)cpu_lsl(SEL_DATA), 0xffffffff, "lsl gives the page-granular limit scaled");
	tap_eq((uint64_t)(cpu_lar(SEL_TESTDATA) >> 8) & 0xff, 0x93,
	       "lar gives present, DPL 0, writable data, accessed");
	/* The accessed bit of the code descriptor is left out: QEMU's TCG
	 * does not set it when a far return loads %cs. */
	tap_eq((uint64_t)(cpu_lar(SEL_CODE64) >> 8) & 0xfe, 0x9a,
	       "lar gives present, DPL 0, readable code");
	tap_eq((uint64_t)cpu_lsl(SEL_BEYOND_GDT), (uint64_t)-1, "lsl beyond the GDT limit clears ZF");
	tap_eq((uint64_t)cpu_verr(SEL_CODE64), 1, "verr: code segment is readable");
	tap_eq((uint64_t)cpu_verw(SEL_CODE64), 0, "verw: code segment is not writable");
	tap_eq((uint64_t)cpu_verw(SEL_TESTDATA), 1, "verw: data segment is writable");
}
