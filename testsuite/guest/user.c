/* SPDX-License-Identifier: MIT */
/* The user address space and syscall/sysret setup (see user.h). */
#include "cpu.h"
#include "desc.h"
#include "paging.h"
#include "user.h"

#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_FMASK	0xc0000084
#define EFER_SCE	(1ull << 0)
#define RFLAGS_DF	(1ull << 10)

#ifdef __x86_64__
/* user-entry.c */
void user_enter(uint64_t entry, uint64_t user_rsp, uint64_t arg);
void user_enter_iret(uint64_t entry, uint64_t user_rsp, uint64_t arg);
extern char syscall_entry[];
#else
#include "trap.h"
#define VEC_USER_CALL	0x80
/* user-entry-i386.c: native words, cdecl */
void user_enter_iret(unsigned long entry, unsigned long user_esp, unsigned long arg);
extern char user_int80_entry[];
#endif

static uint8_t user_stack[GUEST_PAGE_SIZE]
	__attribute__((aligned(GUEST_PAGE_SIZE), section(".bss.pagealigned")));
static uint64_t *user_space;

void user_setup(void)
{
	user_space = pml4_new();
	*pte_lookup(user_space, USER_CODE_VA) = virt_to_phys(user_page_start) | PTE_P | PTE_U;
	*pte_lookup(user_space, USER_STACK_VA) = virt_to_phys(user_stack) | PTE_P | PTE_RW | PTE_U;

#ifdef __x86_64__
	cpu_wrmsr(MSR_EFER, cpu_rdmsr(MSR_EFER) | EFER_SCE);
	cpu_wrmsr(MSR_STAR, (uint64_t)SEL_SYSRET_BASE << 48 | (uint64_t)SEL_CODE64 << 32);
	cpu_wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	cpu_wrmsr(MSR_FMASK, RFLAGS_IF | RFLAGS_DF);	/* enter the kernel with IF clear */
#else
	trap_set_user_gate(VEC_USER_CALL, user_int80_entry);
#endif
}

struct user_regs user_run_by(enum user_entry how, const char *label, uint64_t arg)
{
	uint64_t cr3 = cpu_read_cr3();

	cpu_write_cr3(virt_to_phys(user_space));
#ifdef __x86_64__
	if (how == USER_BY_IRET)
		user_enter_iret(user_va(label), USER_STACK_VA + GUEST_PAGE_SIZE, arg);
	else
		user_enter(user_va(label), USER_STACK_VA + GUEST_PAGE_SIZE, arg);
#else
	(void)how;	/* no sysret in legacy mode: always an iret frame */
	user_enter_iret((unsigned long)user_va(label), USER_STACK_VA + GUEST_PAGE_SIZE,
			(unsigned long)arg);
#endif
	cpu_write_cr3(cr3);
	return user_regs;
}

struct user_regs user_run(const char *label, uint64_t arg)
{
	return user_run_by(USER_BY_SYSRET, label, arg);
}
