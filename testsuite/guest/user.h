/* SPDX-License-Identifier: MIT */
/*
 * Running code at CPL 3: an address space with the user page
 * (user-programs.S) and a user stack, syscall/sysret set up, and a call
 * that runs one program and returns what it reported.
 */
#ifndef GUEST_USER_H
#define GUEST_USER_H

#include <stdint.h>

#define USER_CODE_VA	0x0000000000400000ull
#define USER_STACK_VA	0x0000000000800000ull

/* What a user program reported at its syscall (see user-programs.S). */
struct user_regs {
	uint64_t rbx, r12, r13, r14;
	uint64_t rcx;		/* user rip after the syscall */
	uint64_t r11;		/* user rflags at the syscall */
};

extern struct user_regs user_regs;

/* The labels of user-programs.S, at their kernel addresses. */
extern const char user_page_start[], user_page_end[];

/* A label's address in the user mapping. */
static inline uint64_t user_va(const char *label)
{
	return USER_CODE_VA + (uint64_t)(label - user_page_start);
}

/*
 * Map the user page and stack, set the syscall MSRs (once). The i386
 * build has no syscall/sysret: it installs the DPL 3 gate for int $0x80
 * the programs report through instead (user-entry-i386.c).
 */
void user_setup(void);

/* How the kernel drops to CPL 3. */
enum user_entry {
	USER_BY_SYSRET,		/* sysretq (x86-64 only) */
	USER_BY_IRET,		/* iretq (iret) with a CPL 3 frame */
};

/* Run the program at label with rdi = arg; returns its report. */
struct user_regs user_run(const char *label, uint64_t arg);
struct user_regs user_run_by(enum user_entry how, const char *label, uint64_t arg);

#endif
