// SPDX-License-Identifier: MIT
/*
 * previrt=native-relocate in a hosted program: every sled of this
 * program's table becomes a jump to a stub that runs the instruction
 * natively, and the program still computes what it computed before.
 * Checked here, on the real CPU: rip-relative operands (a load, and a
 * store whose displacement sits before an immediate) reach the same
 * variables from the stub; flags survive a relocated site; nothing is
 * written below the stack pointer (the stubs are entered and left by
 * jumps); a pad-first sled keeps its instruction in place; a second
 * emit of the same sled makes no second stub; stub addresses map back to
 * the original code; a sled shorter than the budget is refused, and since
 * refusal is fatal in this mode, its table is left byte for byte.
 */
#include <stdint.h>
#include <string.h>
#include <previrt/backend.h>
#include <previrt/reloc.h>
#include <previrt/runtime.h>
#include "rt-check.h"
#include "rt-sled.h"

#ifndef __x86_64__
#error "rt-reloc is an x86-64 test (rip-relative operands)"
#endif

extern const struct previrt_site __start_previrt_sites[], __stop_previrt_sites[];
extern const struct previrt_site __start_rt_reloc_short_sites[], __stop_rt_reloc_short_sites[];

volatile uint32_t rt_reloc_src = 0x5eed1234u, rt_reloc_dst;
extern unsigned char rt_reloc_load_sled[], rt_reloc_store_sled[], rt_reloc_popf_sled[],
	rt_reloc_short_sled[];
uint32_t rt_reloc_load(void);
void rt_reloc_store(void);
unsigned long rt_reloc_flags_after_tsc(void);
int rt_reloc_stack_untouched(void);
unsigned long rt_reloc_popf_roundtrip(unsigned long flags);
void rt_reloc_short(void);

__asm__(
	".text\n"
	/* eax <- rt_reloc_src, through an MMIO-class rip-relative load */
	".globl rt_reloc_load\nrt_reloc_load:\n"
	"rt_reloc_load_sled:\n"
	PV_HAND_SLED("movl rt_reloc_src(%rip), %eax", PREVIRT_CLASS_MMIO, PREVIRT_F_DEVICE)
	"\tret\n"
	/* rt_reloc_dst <- 0xfeedf00d: rip-relative store with an imm32 after the disp32 */
	".globl rt_reloc_store\nrt_reloc_store:\n"
	"rt_reloc_store_sled:\n"
	PV_HAND_SLED("movl $0xfeedf00d, rt_reloc_dst(%rip)", PREVIRT_CLASS_MMIO, PREVIRT_F_DEVICE)
	"\tret\n"
	/* the flags after "stc; cmp" then an rdtsc site: CF and ZF must survive */
	".globl rt_reloc_flags_after_tsc\nrt_reloc_flags_after_tsc:\n"
	"\tpush %rbx\n\tmov $1, %ebx\n\tcmp $1, %ebx\n\tstc\n"
	PV_HAND_SLED("rdtsc", PREVIRT_CLASS_TSC, 0)
	"\tpushfq\n\tpop %rax\n\tpop %rbx\n\tret\n"
	/*
	 * 1 if 16 words below %rsp hold what was put there before a cpuid
	 * and an rdtsc site ran, and %rsp is where it was: stubs use no stack.
	 */
	".globl rt_reloc_stack_untouched\nrt_reloc_stack_untouched:\n"
	"\tpush %rbx\n\tmov %rsp, %r8\n\tmov $16, %ecx\n"
	"1:\tmov %rcx, %rax\n\timul $0x01010101, %eax\n\tneg %rcx\n"
	"\tmov %rax, (%rsp,%rcx,8)\n\tneg %rcx\n\tloop 1b\n"
	"\txor %eax, %eax\n"
	PV_HAND_SLED("cpuid", PREVIRT_CLASS_CPUID, 0)
	PV_HAND_SLED("rdtsc", PREVIRT_CLASS_TSC, 0)
	"\txor %eax, %eax\n\tcmp %rsp, %r8\n\tjne 3f\n\tmov $16, %ecx\n"
	"2:\tmov %rcx, %rdx\n\timul $0x01010101, %edx\n\tneg %rcx\n"
	"\tcmp %rdx, (%rsp,%rcx,8)\n\tjne 3f\n\tneg %rcx\n\tloop 2b\n"
	"\tmov $1, %eax\n"
	"3:\tpop %rbx\n\tret\n"
	/* push rdi as the flags and popf it at a pad-first site, then pushf it back */
	".globl rt_reloc_popf_roundtrip\nrt_reloc_popf_roundtrip:\n"
	"\tpush %rdi\n"
	"rt_reloc_popf_sled:\n"
	"771:\n\t.nops 7\n\tpopfq\n772:\n"
	"\t.pushsection previrt_sites, \"a\"\n\t.balign 4\n\t.long 771b - .\n"
	"\t.byte 1, 2, " PV_STR(PREVIRT_CLASS_POPF) ", "
	PV_STR(PREVIRT_F_BOUNDARY | PREVIRT_F_PAD_FIRST) ", 772b - 771b, 1, 0, 0\n"
	"\t.popsection\n"
	PV_HAND_SLED("pushfq", PREVIRT_CLASS_PUSHF, 0)
	"\tpop %rax\n\tret\n"
	/* a 2-byte sled: below the budget, and no room for a jump */
	".globl rt_reloc_short\nrt_reloc_short:\n"
	"rt_reloc_short_sled:\n"
	"771:\n\trdtsc\n772:\n"
	"\t.pushsection rt_reloc_short_sites, \"a\"\n\t.balign 4\n\t.long 771b - .\n"
	"\t.byte 1, 2, " PV_STR(PREVIRT_CLASS_TSC) ", " PV_STR(PREVIRT_F_BOUNDARY)
	", 772b - 771b, 772b - 771b, 0, 0\n"
	"\t.popsection\n"
	"\tret\n");

static int32_t rel32_at(const unsigned char *p)
{
	int32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Where the jump at p (e9 rel32) goes, or NULL if p holds no jump. */
static unsigned char *jump_target(unsigned char *p)
{
	return p[0] == 0xe9 ? p + 5 + rel32_at(p + 1) : NULL;
}

int main(void)
{
	const struct previrt_site *b = __start_previrt_sites, *e = __stop_previrt_sites, *s;
	unsigned int n = (unsigned int)(e - b), all_jump = 1, all_in_pool = 1;
	unsigned char short_before[2], again[16], *stub;
	struct previrt_env env;
	struct previrt_stats st, st2;
	const struct previrt_backend *be;
	unsigned long f;
	struct pv_x86_insn load_insn;
	int rc, err;

	memcpy(short_before, rt_reloc_short_sled, 2);
	/* the load's instruction as the patcher decodes it, for the second emit below */
	CHECK(pv_x86_decode(rt_reloc_load_sled, 8, 64, &load_insn) == 6, "the load decodes");
	CHECK(rt_reloc_load() == 0x5eed1234u, "before: the load reads its variable");

	previrt_hosted_env(&env);
	rc = previrt_boot("previrt=native-relocate", &env, &st);
	CHECK(rc == PREVIRT_OK, "previrt_boot native-relocate (%d)", rc);
	CHECK(st.sites == n && st.patched == n && st.kept == 0 && st.refused == 0,
	      "%u sites: %u patched, %u kept, %u refused", st.sites, st.patched, st.kept, st.refused);
	CHECK(previrt_reloc_stubs_used() == n, "one stub per site (%u)", previrt_reloc_stubs_used());

	for (s = b; s < e; s++) {
		unsigned char *t = jump_target(previrt_site_sled(s));

		all_jump &= t != NULL;
		all_in_pool &= t >= previrt_reloc_pool && t < previrt_reloc_pool_end;
	}
	CHECK(all_jump, "every sled now starts with a jmp rel32");
	CHECK(all_in_pool, "every jump lands in the stub pool");

	CHECK(rt_reloc_load() == 0x5eed1234u, "relocated rip-relative load reads the same variable");
	rt_reloc_src = 0x0badcafe;
	CHECK(rt_reloc_load() == 0x0badcafe, "... and sees it change");
	rt_reloc_store();
	CHECK(rt_reloc_dst == 0xfeedf00du, "relocated rip-relative store with imm32 hits its variable");
	stub = jump_target(rt_reloc_store_sled);
	CHECK(stub && stub[0] == 0xc7 && stub[1] == 0x05 && stub[10] == 0xe9 &&
	      jump_target(stub + 10) == rt_reloc_store_sled + 10,
	      "the store's stub: its opcode, then a jump back to the sled's end");

	f = rt_reloc_flags_after_tsc();
	CHECK((f & 0x41) == 0x41, "CF and ZF survive a relocated rdtsc (flags %#lx)", f);
	CHECK(rt_reloc_stack_untouched(), "stubs write nothing below %%rsp and leave it where it was");

	stub = jump_target(rt_reloc_popf_sled);
	CHECK(rt_reloc_popf_sled[7] == 0x9d, "pad-first popf stays at the sled's end");
	CHECK(stub && jump_target(stub) == rt_reloc_popf_sled + 7,
	      "its stub is only the jump back to it");
	f = rt_reloc_popf_roundtrip(0x202 | 0x80 | 0x1);
	CHECK((f & 0x8d5) == (0x80 | 0x1), "popf then pushf through their sleds (%#lx)", f);

	stub = jump_target(rt_reloc_load_sled);
	CHECK(previrt_reloc_origin((unsigned long)stub) == (unsigned long)rt_reloc_load_sled,
	      "a stub's first byte maps back to its sled");
	CHECK(previrt_reloc_origin((unsigned long)stub + 6) == (unsigned long)rt_reloc_load_sled + 8,
	      "its jump back maps to the sled's end");
	CHECK(previrt_reloc_origin((unsigned long)rt_reloc_load_sled) ==
	      (unsigned long)rt_reloc_load_sled, "an address outside the pool is itself");

	{
		const struct previrt_site *ls = NULL;
		unsigned int used = previrt_reloc_stubs_used();

		for (s = b; s < e; s++)
			if (previrt_site_sled(s) == rt_reloc_load_sled)
				ls = s;
		{
			struct previrt_sled sled = { ls, rt_reloc_load_sled, &load_insn, &env };

			CHECK(ls && previrt_reloc_emit(&sled, again) == 0 &&
			      memcmp(again, rt_reloc_load_sled, 5) == 0 &&
			      previrt_reloc_stubs_used() == used,
			      "a second emit of a sled gives the same jump and no new stub");
		}
	}

	be = previrt_select_backend("previrt=native-relocate", &env, &err);
	memset(&st2, 0, sizeof(st2));
	rc = previrt_patch_range(__start_rt_reloc_short_sites, __stop_rt_reloc_short_sites, be, &env, &st2);
	CHECK(rc == PREVIRT_EREFUSED && st2.refused == 1, "a 2-byte sled (below the budget) is refused, and fatally in this mode (%d)", rc);
	CHECK(memcmp(short_before, rt_reloc_short_sled, 2) == 0, "and left byte for byte");
	return rt_done();
}
