/* SPDX-License-Identifier: MIT */
/*
 * The guest's own GDT and TSS (the IDT is in trap.h). They replace the boot
 * GDT first thing in guest_main, so that the descriptor-table cases test
 * tables the C code built and knows.
 */
#ifndef GUEST_DESC_H
#define GUEST_DESC_H

#include <stdint.h>
#include "cpu.h"
#include "layout.h"

#define SEL_CODE64	GUEST_SEL_CODE64
#define SEL_DATA	GUEST_SEL_DATA
#define SEL_TESTDATA	0x18	/* a data segment with an odd limit, for lsl/lar */
#define SEL_TSS		0x20	/* 16-byte system descriptor: entries 4 and 5 */
#define SEL_LDT		0x30	/* 16-byte system descriptor: entries 6 and 7 */
/*
 * User mode, in the order syscall/sysret want: sysret takes CS from
 * SEL_SYSRET_BASE + 16 and SS from SEL_SYSRET_BASE + 8, both with RPL 3.
 */
#define SEL_SYSRET_BASE	0x40	/* 32-bit user code, DPL 3 (never loaded) */
#define SEL_USER_DATA	(0x48 | 3)
#define SEL_USER_CODE64	(0x50 | 3)
#define SEL_NOT_PRESENT	0x58	/* a data segment marked not present: #NP */
#define GDT_ENTRIES	12

#define SEL_LDT_DATA	0x04	/* LDT entry 0 (TI set), RPL 0 */
#define LDT_DATA_LIMIT	0x1234	/* byte granular */

#define TESTDATA_LIMIT	0xabcde	/* byte granular */

/* Access byte bits. */
#define DESC_ACCESSED	0x01
#define DESC_TSS_BUSY	0x02	/* type 0x9 available becomes 0xb busy on ltr */

extern uint64_t gdt[GDT_ENTRIES];
extern uint8_t ring0_stack[8192];	/* TSS.RSP0: entered from CPL 3 */
extern uint64_t ldt[1];
extern struct desc_ptr gdt_ptr;

/* Access byte (type, S, DPL, P) of a GDT entry. */
static inline uint8_t gdt_access_byte(unsigned index)
{
	return (uint8_t)(gdt[index] >> 40);
}

/*
 * Build the GDT, TSS and a one-entry LDT; load the GDT and TSS (lgdt, ltr)
 * and reload every segment. The LDT is described but left to the desc case
 * to load (lldt).
 */
void desc_setup(void);

#endif
