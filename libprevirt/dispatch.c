// SPDX-License-Identifier: MIT
/*
 * The generic path: the C half of the dispatcher, and the slots that let
 * it find what a patched sled used to hold.
 *
 * A sled routed here reads (8-byte budget):
 *
 *	e8 <rel32>	call previrt_dispatch_entry
 *	<i0 i1 i2>	24-bit slot number, little-endian; never executed
 *	(cc ...)	rest of a longer sled: int3, never executed
 *
 * The call pushes sled+5, which is where the slot number is.  The
 * assembly half (dispatch-x86_64.S / dispatch-i386.S) saves the flags and
 * every general register into a struct previrt_regs and calls
 * pv_dispatch_c() with it; that looks the slot up, decodes the original
 * instruction saved in it, and calls the backend's handler.  Execution
 * resumes at regs->ip, which starts out as the sled's END, not at the
 * return address: the slot bytes are data.
 *
 * A handler may move the stack pointer (pushf, popf, lret...), and what
 * it pushes goes where the interrupted code's stack is: onto the call's
 * return address and the free words below it (regs->ret, regs->gap).
 * That is why the assembly copies the return address into regs->ip, lower
 * in the frame, before anything else: the handler's fields are never
 * under its own pushes.  On the way out the assembly restores the
 * registers, then loads %rsp from regs->sp, pops the flags and returns;
 * so before returning here we write {flags, ip} just below the new stack
 * pointer and point regs->sp at them.  After a push of at most
 * PREVIRT_FRAME_PUSH_MAX bytes that pair lands in regs->gap, still above
 * regs->flags; after a pop it lands in stack the guest has released.
 *
 * The call writes below the interrupted code's stack pointer: see the
 * red-zone rule in previrt/runtime.h.
 */
#include "internal.h"

struct pv_slot {
	const struct previrt_site *site;
	unsigned char owner;		/* index into owners[] */
	unsigned char bytes[15];	/* the original instruction */
};

/* Who patched a slot: its backend and environment. */
struct pv_owner {
	const struct previrt_backend *b;
	const struct previrt_env *env;
};

static struct pv_slot slots[PREVIRT_DISPATCH_SLOTS];
static unsigned int slots_used;
static struct pv_owner owners[16];
static unsigned int owners_used;

_Static_assert(PREVIRT_DISPATCH_SLOTS <= (1u << 24), "slot numbers are 24 bits in the sled");

unsigned int previrt_dispatch_slots_used(void)
{
	return slots_used;
}

int pv_dispatch_claim(const struct previrt_site *s, const struct pv_x86_insn *insn,
		      const struct previrt_backend *b, const struct previrt_env *env,
		      unsigned int *slot)
{
	unsigned int o;
	struct pv_slot *sl;

	for (o = 0; o < owners_used; o++)
		if (owners[o].b == b && owners[o].env == env)
			break;
	if (o == owners_used) {
		if (owners_used == sizeof(owners) / sizeof(owners[0]))
			return -1;
		owners[o].b = b;
		owners[o].env = env;
		owners_used++;
	}
	if (slots_used >= PREVIRT_DISPATCH_SLOTS)
		return -1;
	sl = &slots[slots_used];
	sl->site = s;
	sl->owner = (unsigned char)o;
	pv_copy(sl->bytes, previrt_site_sled(s) + previrt_site_insn_offset(s), insn->len);
	*slot = slots_used++;
	return 0;
}

/* Only the slot just claimed can be given back (its sled was not written). */
void pv_dispatch_release(unsigned int slot)
{
	if (slot + 1 == slots_used)
		slots_used--;
}

static int in_call_range(unsigned long from_next, unsigned long to)
{
	long rel = (long)(to - from_next);

	return rel == (long)(int)rel;
}

/*
 * A sled must reach the dispatcher with a call rel32, +-2 GiB.  In a kernel
 * and in a statically linked program it always does.  A program using
 * libprevirt.so has its text far from the library's, so it gets a
 * trampoline near its text, from env->exec_near: "jmp *0(%rip)" and the
 * entry's address.  A jump pushes nothing, so the dispatcher still finds
 * the sled from its return address.  A few trampolines serve every table.
 */
#define PV_TRAMPOLINES 8
#define PV_TRAMPOLINE_SIZE 16
static unsigned char *trampolines[PV_TRAMPOLINES];
static unsigned int trampolines_used;

static unsigned long dispatch_target(const unsigned char *at, const struct previrt_env *env)
{
	unsigned long next = (unsigned long)at + 5, entry = (unsigned long)previrt_dispatch_entry;
	unsigned char *t;
	unsigned int i;

	if (in_call_range(next, entry))
		return entry;
	for (i = 0; i < trampolines_used; i++)
		if (in_call_range(next, (unsigned long)trampolines[i]))
			return (unsigned long)trampolines[i];
	if (!env || !env->exec_near || trampolines_used == PV_TRAMPOLINES)
		return 0;
	t = env->exec_near((unsigned long)at, PV_TRAMPOLINE_SIZE, env->ctx);
	if (!t || !in_call_range(next, (unsigned long)t))
		return 0;
	t[0] = 0xff;	/* jmp *0(%rip) */
	t[1] = 0x25;
	for (i = 2; i < 6; i++)
		t[i] = 0;
	for (i = 0; i < 8; i++)
		t[6 + i] = (unsigned char)((uint64_t)entry >> (8 * i));
	t[14] = t[15] = 0xcc;
	trampolines[trampolines_used++] = t;
	return (unsigned long)t;
}

int pv_emit_dispatch_call(unsigned char *out, unsigned int sled_len, const unsigned char *at,
			  unsigned int slot, const struct previrt_env *env)
{
	unsigned long target = dispatch_target(at, env);
	long rel = (long)(target - ((unsigned long)at + 5));
	unsigned int i;

	if (!target || sled_len < 8 || slot >= (1u << 24))
		return -1;
	out[0] = 0xe8;
	for (i = 0; i < 4; i++)
		out[1 + i] = (unsigned char)((unsigned long)rel >> (8 * i));
	out[5] = (unsigned char)slot;
	out[6] = (unsigned char)(slot >> 8);
	out[7] = (unsigned char)(slot >> 16);
	for (i = 8; i < sled_len; i++)
		out[i] = 0xcc;
	return 0;
}

void pv_dispatch_forget_all(void)
{
	slots_used = 0;
	owners_used = 0;
	trampolines_used = 0;
}

static void die(const struct previrt_env *env, const char *why)
{
	if (env && env->fatal)
		env->fatal(why, env->ctx);
	for (;;)
		;	/* nowhere to go back to: the instruction was not performed */
}

unsigned long *previrt_reg(struct previrt_regs *r, unsigned int n)
{
	switch (n) {
	case 0: return &r->ax;
	case 1: return &r->cx;
	case 2: return &r->dx;
	case 3: return &r->bx;
	case 4: return &r->sp;
	case 5: return &r->bp;
	case 6: return &r->si;
	case 7: return &r->di;
#ifdef __x86_64__
	case 8: return &r->r8;
	case 9: return &r->r9;
	case 10: return &r->r10;
	case 11: return &r->r11;
	case 12: return &r->r12;
	case 13: return &r->r13;
	case 14: return &r->r14;
	case 15: return &r->r15;
#endif
	}
	return 0;
}

#ifdef __i386__
#define PV_DISPATCH_ABI __attribute__((regparm(1)))	/* frame in %eax, whatever -mregparm says */
#else
#define PV_DISPATCH_ABI
#endif

PV_DISPATCH_ABI __attribute__((visibility("hidden"))) void pv_dispatch_c(struct previrt_regs *r);

typedef unsigned long pv_any_ulong __attribute__((aligned(1), may_alias));

PV_DISPATCH_ABI void pv_dispatch_c(struct previrt_regs *r)
{
	const unsigned char *ret = (const unsigned char *)r->ip;
	unsigned int n = ret[0] | (unsigned int)ret[1] << 8 | (unsigned int)ret[2] << 16;
	const struct previrt_env *env = owners_used ? owners[0].env : 0;
	const struct previrt_site *s;
	const struct pv_owner *o;
	struct pv_x86_insn insn;
	unsigned long old_sp, new_sp, flags, ip;
	pv_any_ulong *exit_block;
	char why[160];

	if (n >= slots_used ||
	    (unsigned long)previrt_site_sled(slots[n].site) + 5 != (unsigned long)ret) {
		pv_format(why, sizeof(why),
			  "previrt: dispatcher entered from %p, which is no patched sled\n",
			  (void *)(ret - 5));
		pv_log(env, "%s", why);
		die(env, why);
	}
	s = slots[n].site;
	o = &owners[slots[n].owner];
	env = o->env;
	if (pv_x86_decode(slots[n].bytes, previrt_site_insn_bytes(s), PV_NATIVE_BITS, &insn) !=
	    (int)previrt_site_insn_bytes(s)) {
		pv_format(why, sizeof(why), "previrt: slot %u of the sled at %p does not decode\n",
			  n, (void *)(ret - 5));
		pv_log(env, "%s", why);
		die(env, why);
	}

	old_sp = (unsigned long)(&r->ret + 1);
	r->sp = old_sp;
	r->ip = (unsigned long)previrt_site_sled(s) + s->sled_len;

	if (o->b->handle(o->b->vcpu, r, &insn, s)) {
		pv_format(why, sizeof(why),
			  "previrt: backend %s cannot emulate %s (class %s) at %p, sled slot %u\n",
			  o->b->name, pv_x86_op_name(insn.op), previrt_class_name(s->klass),
			  (void *)(ret - 5), n);
		pv_log(env, "%s", why);
		die(env, why);
	}

	new_sp = r->sp;
	if (new_sp < old_sp - PREVIRT_FRAME_PUSH_MAX) {
		pv_format(why, sizeof(why),
			  "previrt: handler of %s at %p pushed %lu bytes, more than %u\n",
			  pv_x86_op_name(insn.op), (void *)(ret - 5), old_sp - new_sp,
			  (unsigned int)PREVIRT_FRAME_PUSH_MAX);
		pv_log(env, "%s", why);
		die(env, why);
	}
	/*
	 * Read both before writing: the exit block may cover the gap.  It is
	 * only as aligned as the guest's stack, which a pushfw or popfw
	 * leaves at 2 mod 8.
	 */
	flags = r->flags;
	ip = r->ip;
	exit_block = (pv_any_ulong *)(new_sp - 2 * sizeof(unsigned long));
	exit_block[0] = flags;
	exit_block[1] = ip;
	r->sp = (unsigned long)exit_block;
}
