/* SPDX-License-Identifier: MIT */
/*
 * User mode: sysretq and iretq to CPL 3 and syscall back, what user mode
 * sees of the flags and selectors (popf silently keeps IF there), and privileged
 * instructions and supervisor memory faulting at CPL 3 through the
 * guest's IDT with the user's cs and rip in the frame.
 */
#include "cpu.h"
#include "desc.h"
#include "paging.h"
#include "tap.h"
#include "tests.h"
#include "trap.h"
#include "user.h"

#define RFLAGS_IOPL	(3ull << 12)
#define CR4_TSD		(1ull << 2)

extern const char user_prog_flags[], user_prog_flags_ret[];
extern const char user_prog_cli[], user_prog_cli_resume[];
extern const char user_prog_hlt[], user_prog_hlt_resume[];
extern const char user_prog_in[], user_prog_in_resume[];
extern const char user_prog_cr[], user_prog_cr_resume[];
extern const char user_prog_rdtsc[], user_prog_rdtsc_resume[];
extern const char user_prog_load[], user_prog_load_resume[];

static const uint64_t supervisor_word = 0x5e5e5e5e;

/* Run a program that must fault at its first instruction; check the frame. */
static struct trap_record user_fault(const char *prog, const char *resume, uint64_t arg,
				     uint64_t vector, uint64_t error, const char *what)
{
	trap_arm();
	trap_catch.resume = user_va(resume);
	user_run(prog, arg);
	trap_catch.armed = 0;

	struct trap_record rec = *(const struct trap_record *)&trap_catch.rec;
	tap_check(rec.taken, "%s at CPL 3 raises an exception", what);
	tap_eq(rec.vector, vector, "%s at CPL 3: vector", what);
	tap_eq(rec.error, error, "%s at CPL 3: error code", what);
	tap_eq(rec.rip, user_va(prog), "%s at CPL 3: rip is the user instruction", what);
	tap_eq(rec.cs, SEL_USER_CODE64, "%s at CPL 3: frame cs is the user selector", what);
	tap_check(rec.frame >= (uintptr_t)ring0_stack &&
		  rec.frame < (uintptr_t)ring0_stack + sizeof(ring0_stack),
		  "%s at CPL 3: handler ran on the TSS.RSP0 stack (0x%llx)", what,
		  (unsigned long long)rec.frame);
	tap_check(rec.rsp > USER_STACK_VA && rec.rsp <= USER_STACK_VA + GUEST_PAGE_SIZE,
		  "%s at CPL 3: frame rsp is the user stack (0x%llx)", what,
		  (unsigned long long)rec.rsp);
	return rec;
}

void test_user(void)
{
	tap_case("user");
	user_setup();

#ifdef __x86_64__
	struct user_regs r = user_run(user_prog_flags, 0);
	tap_eq(r.rbx & RFLAGS_IF, RFLAGS_IF, "sysretq entered CPL 3 with IF from r11");
	tap_eq(r.rbx & RFLAGS_IOPL, 0, "pushf at CPL 3 shows IOPL 0");
	tap_eq(r.r12 & RFLAGS_IF, RFLAGS_IF, "popf at CPL 3 leaves IF set, silently");
	tap_eq(r.r13, SEL_USER_CODE64, "cs at CPL 3 is the user code selector");
	tap_eq(r.r14, SEL_USER_DATA, "ss at CPL 3 is the user data selector");
	tap_eq(r.rcx, user_va(user_prog_flags_ret), "syscall saved the user rip in rcx");
	tap_eq(r.r11 & RFLAGS_IF, RFLAGS_IF, "syscall saved the user rflags in r11");
	tap_eq(cpu_read_flags() & RFLAGS_IF, 0, "syscall entered the kernel with IF masked");

	/* The same program entered through an iretq frame instead. */
	r = user_run_by(USER_BY_IRET, user_prog_flags, 0);
	tap_eq(r.rbx & RFLAGS_IF, RFLAGS_IF, "iretq entered CPL 3 with IF from the frame");
	tap_eq(r.r13, SEL_USER_CODE64, "after iretq cs is the frame's user selector");
	tap_eq(r.r14, SEL_USER_DATA, "after iretq ss is the frame's user selector");
	tap_eq(r.rcx, user_va(user_prog_flags_ret), "after iretq the program ran to its syscall");
#else
	/*
	 * i386: no sysret in legacy mode; iret enters CPL 3 and the program
	 * comes back through int $0x80 (a DPL 3 interrupt gate), whose frame
	 * gives the user eip and eflags (rcx and r11 of the report).
	 */
	struct user_regs r = user_run_by(USER_BY_IRET, user_prog_flags, 0);
	tap_eq(r.rbx & RFLAGS_IF, RFLAGS_IF, "iret entered CPL 3 with IF from the frame");
	tap_eq(r.rbx & RFLAGS_IOPL, 0, "pushf at CPL 3 shows IOPL 0");
	tap_eq(r.r12 & RFLAGS_IF, RFLAGS_IF, "popf at CPL 3 leaves IF set, silently");
	tap_eq(r.r13, SEL_USER_CODE64, "cs at CPL 3 is the user code selector");
	tap_eq(r.r14, SEL_USER_DATA, "ss at CPL 3 is the user data selector");
	tap_eq(r.rcx, user_va(user_prog_flags_ret), "int $0x80 frame: eip after the int");
	tap_eq(r.r11 & RFLAGS_IF, RFLAGS_IF, "int $0x80 frame: the user eflags");
	tap_eq(cpu_read_flags() & RFLAGS_IF, 0, "int $0x80 entered the kernel with IF clear");
	tap_eq(cpu_read_ds(), SEL_DATA, "back in the kernel, ds is the kernel's again");
#endif

	user_fault(user_prog_cli, user_prog_cli_resume, 0, VEC_GP, 0, "cli");
	user_fault(user_prog_hlt, user_prog_hlt_resume, 0, VEC_GP, 0, "hlt");
	user_fault(user_prog_in, user_prog_in_resume, 0, VEC_GP, 0, "in");
	user_fault(user_prog_cr, user_prog_cr_resume, 0, VEC_GP, 0, "mov from cr3");
	struct trap_record pf = user_fault(user_prog_load, user_prog_load_resume,
					   (uintptr_t)&supervisor_word, VEC_PF,
					   PF_PRESENT | PF_USER, "load from a supervisor page");
	tap_eq(pf.cr2, (uintptr_t)&supervisor_word, "load from a supervisor page at CPL 3: CR2");

	trap_arm();
	trap_catch.resume = user_va(user_prog_rdtsc_resume);
	r = user_run(user_prog_rdtsc, 0);
	trap_catch.armed = 0;
	tap_check(!trap_catch.rec.taken && (r.rbx | r.r12),
		  "rdtsc at CPL 3 without CR4.TSD reads the clock (0x%llx)",
		  (unsigned long long)(r.r12 << 32 | r.rbx));
	uint64_t cr4 = cpu_read_cr4();
	cpu_write_cr4(cr4 | CR4_TSD);
	user_fault(user_prog_rdtsc, user_prog_rdtsc_resume, 0, VEC_GP, 0, "rdtsc with CR4.TSD");
	cpu_write_cr4(cr4);
}
