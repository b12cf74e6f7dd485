/* SPDX-License-Identifier: MIT */
/*
 * Exceptions through the guest's own IDT: each must arrive on its vector
 * with its error code, and with the rip the architecture defines (the
 * faulting instruction for faults, the next one for the int3 trap), and
 * iretq must give back the interrupted flags.
 */
#include "cpu.h"
#include "desc.h"
#include "probe.h"
#include "tap.h"
#include "tests.h"

#define SEL_OUT_OF_GDT	0x0ff8	/* index 511, GDT holds GDT_ENTRIES */
#ifdef __x86_64__
#define NONCANONICAL	((const volatile uint64_t *)0x8000000000000000ull)
#endif

static void check(const struct probe *p, uint64_t vector, uint64_t error, int is_trap,
		  const char *what)
{
	tap_check(p->rec.taken, "%s raises an exception", what);
	tap_eq(p->rec.vector, vector, "%s: vector", what);
	tap_eq(p->rec.error, error, "%s: error code", what);
	tap_eq(p->rec.rip, is_trap ? p->next : p->insn,
	       "%s: rip is the %s instruction", what, is_trap ? "next" : "faulting");
	tap_eq(p->rec.cs, SEL_CODE64, "%s: frame cs", what);
}

void test_exceptions(void)
{
	struct probe p;

	tap_case("exceptions");

	cpu_sti();
	probe_int3(&p);
	uint64_t flags_after = cpu_read_flags();
	cpu_cli();
	check(&p, VEC_BP, 0, 1, "int3");
	tap_eq(p.rec.rflags & RFLAGS_IF, RFLAGS_IF, "int3: frame rflags has the interrupted IF");
	tap_eq(flags_after & RFLAGS_IF, RFLAGS_IF, "int3: iretq restored IF");

	probe_ud2(&p);
	check(&p, VEC_UD, 0, 0, "ud2");

	probe_divide(0, &p);
	check(&p, VEC_DE, 0, 0, "div by zero");

	probe_load_ds(SEL_OUT_OF_GDT, &p);
	check(&p, VEC_GP, SEL_OUT_OF_GDT, 0, "mov to ds beyond the GDT");
	tap_eq(cpu_read_ds(), SEL_DATA, "the faulting segment load left ds alone");

	probe_load_ds(SEL_NOT_PRESENT, &p);
	check(&p, VEC_NP, SEL_NOT_PRESENT, 0, "mov to ds of a not-present segment");

#ifdef __x86_64__
	probe_load(NONCANONICAL, &p);
	check(&p, VEC_GP, 0, 0, "load from a non-canonical address");
#else
	/*
	 * Legacy mode has no canonical form. Its #GP(0) here: the null
	 * selector into ss, which only 64-bit mode allows (QEMU's TCG does
	 * not check data segment limits, so a limit violation would not do).
	 */
	probe_load_ss(0, &p);
	check(&p, VEC_GP, 0, 0, "mov of the null selector to ss");
	tap_eq(cpu_read_ss(), SEL_DATA, "the faulting ss load left ss alone");
#endif

	/* A probe that does not fault must report no exception. */
	uint64_t here = 0x1234;
	tap_eq(probe_load(&here, &p), 0x1234, "ordinary load under the catcher reads memory");
	tap_check(!p.rec.taken, "ordinary load raises no exception");
}
