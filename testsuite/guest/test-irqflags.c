/* SPDX-License-Identifier: MIT */
/*
 * Interrupt flag: what cli/sti/popf did must be what pushf reads, through
 * nested save/disable/restore as kernels use it. That IF really gates
 * interrupt delivery is checked by the timer case.
 */
#include "cpu.h"
#include "tap.h"
#include "tests.h"

#define RFLAGS_IOPL	(3ull << 12)
#define RFLAGS_AC	(1ull << 18)

static uint64_t irq_flag(void)
{
	return cpu_read_flags() & RFLAGS_IF;
}

void test_irqflags(void)
{
	tap_case("irqflags");

	tap_eq(cpu_read_flags() & RFLAGS_IOPL, 0, "pushf shows IOPL 0 at CPL 0");
	cpu_cli();
	tap_eq(irq_flag(), 0, "after cli, pushf shows IF clear");
	cpu_sti();
	tap_eq(irq_flag(), RFLAGS_IF, "after sti, pushf shows IF set");

	uint64_t outer = cpu_irq_save();
	tap_eq(outer & RFLAGS_IF, RFLAGS_IF, "outer save returns IF set");
	tap_eq(irq_flag(), 0, "inside the outer section IF is clear");
	uint64_t inner = cpu_irq_save();
	tap_eq(inner & RFLAGS_IF, 0, "nested save returns IF clear");
	cpu_write_flags(inner);
	tap_eq(irq_flag(), 0, "popf of the nested save keeps IF clear");
	cpu_write_flags(outer);
	tap_eq(irq_flag(), RFLAGS_IF, "popf of the outer save sets IF again");

	cpu_write_flags(cpu_read_flags() & ~RFLAGS_IF);
	tap_eq(irq_flag(), 0, "popf with IF clear disables interrupts");
	cpu_write_flags(cpu_read_flags() | RFLAGS_IF);
	tap_eq(irq_flag(), RFLAGS_IF, "popf with IF set enables interrupts");

	/* popf is not only IF: an ordinary writable flag must pass through. */
	uint64_t f = cpu_read_flags();
	cpu_write_flags(f | RFLAGS_AC);
	tap_eq(cpu_read_flags() & RFLAGS_AC, RFLAGS_AC, "popf sets AC, pushf reads it");
	cpu_write_flags(f & ~RFLAGS_AC);
	tap_eq(cpu_read_flags() & RFLAGS_AC, 0, "popf clears AC, pushf reads it");

	cpu_cli();
}
