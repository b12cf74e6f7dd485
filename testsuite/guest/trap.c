/* SPDX-License-Identifier: MIT */
/* The IDT and the C half of every exception and interrupt (see trap.h). */
#include "trap.h"
#include "cpu.h"
#include "desc.h"
#include "tap.h"
#include <previrt/reloc.h>

#ifdef __x86_64__
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate is 16 bytes");
#else
/* i386: the same fields up to offset_mid; "ist" is the reserved byte. */
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
};
_Static_assert(sizeof(struct idt_gate) == 8, "32-bit IDT gate is 8 bytes");
#endif

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit (or 32-bit) interrupt gate: IF cleared */
#define GATE_USER	0x60	/* DPL 3: "int n" allowed from CPL 3 */
#ifdef __x86_64__
#define IST_DOUBLE_FAULT 1
#else
#define IST_DOUBLE_FAULT 0	/* legacy mode has no IST */
#endif

/* (vector, stub address) pairs emitted by trap-entry.c, native words. */
extern const unsigned long trap_stub_table[], trap_stub_table_end[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static irq_handler_t irq_handlers[256];
struct desc_ptr idt_ptr;
volatile struct trap_catch trap_catch;

void trap_setup(void)
{
	for (const unsigned long *p = trap_stub_table; p < trap_stub_table_end; p += 2) {
		uint64_t vector = p[0], stub = p[1];
		struct idt_gate *g = &idt[vector];

		g->offset_low = (uint16_t)stub;
		g->selector = SEL_CODE64;
		g->ist = vector == VEC_DF ? IST_DOUBLE_FAULT : 0;
		g->type_attr = GATE_INTERRUPT;
		g->offset_mid = (uint16_t)(stub >> 16);
#ifdef __x86_64__
		g->offset_high = (uint32_t)(stub >> 32);
#endif
	}
	idt_ptr.limit = sizeof(idt) - 1;
	idt_ptr.base = (unsigned long)idt;
	cpu_lidt(&idt_ptr);
}

void trap_arm(void)
{
	trap_catch.rec.taken = 0;
	trap_catch.rec.vector = trap_catch.rec.error = ~0ull;
	trap_catch.rec.rip = trap_catch.rec.cs = trap_catch.rec.rflags = 0;
	trap_catch.rec.rsp = trap_catch.rec.cr2 = trap_catch.rec.frame = 0;
	trap_catch.resume = 0;
	trap_catch.armed = 1;
}

void trap_set_user_gate(uint8_t vector, const void *entry)
{
	uint64_t at = (uintptr_t)entry;
	struct idt_gate *g = &idt[vector];

	g->offset_low = (uint16_t)at;
	g->selector = SEL_CODE64;
	g->ist = 0;
	g->type_attr = GATE_INTERRUPT | GATE_USER;
	g->offset_mid = (uint16_t)(at >> 16);
#ifdef __x86_64__
	g->offset_high = (uint32_t)(at >> 32);
#endif
}

void trap_set_irq_handler(uint8_t vector, irq_handler_t fn)
{
	irq_handlers[vector] = fn;
}

void trap_dispatch(struct trap_frame *f);	/* called from trap_common only */

void trap_dispatch(struct trap_frame *f)
{
	if (irq_handlers[f->vector]) {
		irq_handlers[f->vector](f);
		return;
	}
	if (f->vector < 32 && trap_catch.armed && trap_catch.resume) {
		trap_catch.armed = 0;
		trap_catch.rec.vector = f->vector;
		trap_catch.rec.error = f->error;
		/*
		 * Where the original code faulted: under previrt=native-relocate
		 * the instruction ran from its stub (previrt/reloc.h), and a
		 * kernel maps such an address back before judging it, as here.
		 */
		trap_catch.rec.rip = previrt_reloc_origin(f->rip);
		trap_catch.rec.cs = f->cs;
		trap_catch.rec.rflags = f->rflags;
		trap_catch.rec.rsp = f->rsp;
		trap_catch.rec.frame = (uintptr_t)f;
		trap_catch.rec.cr2 = f->vector == VEC_PF ? cpu_read_cr2() : 0;
		trap_catch.rec.taken = 1;
		f->rip = trap_catch.resume;
		return;
	}
	tap_bail("unexpected vector %lu error 0x%lx rip 0x%lx cs 0x%lx rflags 0x%lx "
		 "rsp 0x%lx cr2 0x%lx", f->vector, f->error, f->rip, f->cs, f->rflags,
		 f->rsp, cpu_read_cr2());
}
