/* SPDX-License-Identifier: MIT */
/*
 * The backend interface: what a hypervisor backend (hypervisor/<name>/)
 * gives the core, and what the core gives a backend's handlers.
 *
 * For every class a backend says how its sleds are filled:
 *
 *  KEEP     the native instruction stays (native hardware; or an
 *           instruction the hypervisor already traps and emulates well);
 *  GENERIC  a "call" to the generic dispatcher, which saves every general
 *           register and the flags into a struct previrt_regs and calls
 *           ->handle() with the decoded instruction;
 *  INLINE   ->emit() writes a sequence of its own into the sled (the fast
 *           path for hot classes, e.g. cli/sti as one store on Xen);
 *  REFUSE   the backend cannot run this class: the site is refused.
 */
#ifndef PREVIRT_BACKEND_H
#define PREVIRT_BACKEND_H

#include <previrt/runtime.h>
#include <previrt/x86-insn.h>

struct previrt_vcpu;	/* previrt/vcpu.h */

enum previrt_fill {
	PREVIRT_FILL_REFUSE = 0,	/* zero so that a forgotten class is refused */
	PREVIRT_FILL_KEEP,
	PREVIRT_FILL_GENERIC,
	PREVIRT_FILL_INLINE,
};

/*
 * The register frame the dispatcher builds, lowest address first; this
 * order is what the assembly in dispatch-*.S pushes and must not change
 * without it.  'sp' is the interrupted code's stack pointer and 'ip' the
 * address execution resumes at (the sled's end); a handler may change
 * any field.  A handler that moves 'sp' down (a push) may move it by at
 * most PREVIRT_FRAME_PUSH_MAX bytes: what it pushes lands on 'ret' and
 * 'gap', which is why the handler's fields sit below them.  unsigned long
 * is the register width both on x86-64 and on i386.
 */
struct previrt_regs {
#ifdef __x86_64__
	unsigned long r15, r14, r13, r12, r11, r10, r9, r8;
#endif
	unsigned long di, si, bp, bx, dx, cx, ax;
	unsigned long sp;
	unsigned long ip;
	unsigned long flags;
	unsigned long gap[4];	/* room for pushes and the exit path: see dispatch.c */
	unsigned long ret;	/* where the sled's call put its return address */
};
#define PREVIRT_FRAME_PUSH_MAX	(3 * sizeof(unsigned long))

/* General register by hardware number (0 = ax ... 15 = r15), or NULL. */
unsigned long *previrt_reg(struct previrt_regs *r, unsigned int n);

/* What ->emit() is told about the site it fills. */
struct previrt_sled {
	const struct previrt_site *site;
	unsigned char *addr;		/* where the sled is (runtime address) */
	const struct pv_x86_insn *insn;	/* decoded original instruction */
	const struct previrt_env *env;	/* the patcher's: how to write text elsewhere */
};

struct previrt_backend {
	const char *name;
	/* Nonzero when running on this backend's platform; NULL: never by itself. */
	int (*detect)(const struct previrt_env *env);
	/* Start the backend; 0, or negative to refuse (previrt_boot fails). */
	int (*init)(const struct previrt_env *env);
	/* How each class is filled (enum previrt_fill). */
	unsigned char fill[PREVIRT_CLASS_COUNT];
	/*
	 * INLINE: write exactly site->sled_len bytes into out (not into the
	 * text: the core writes them).  0, or negative to refuse the site.
	 */
	int (*emit)(const struct previrt_sled *sled, unsigned char *out);
	/*
	 * GENERIC: emulate insn against regs on the virtual CPU v (the
	 * backend's ->vcpu).  regs->ip already points past the sled.  0, or
	 * nonzero for "cannot": the dispatcher then calls env->fatal,
	 * naming the site.
	 */
	int (*handle)(struct previrt_vcpu *v, struct previrt_regs *regs,
		      const struct pv_x86_insn *insn, const struct previrt_site *site);
	/*
	 * The virtual CPU the dispatcher hands ->handle(): the context of
	 * every call, so that nothing in the core reaches for a global.
	 * One today (no SMP guest yet); a second CPU is a per-CPU lookup
	 * here.  NULL for backends that keep no state (native, tests).
	 */
	struct previrt_vcpu *vcpu;
	/* KEEP: also rewrite the padding into canonical NOPs. */
	int canonical_nops;
	/*
	 * Nonzero: a refused site is fatal on this backend.  On bare
	 * hardware a refused site still runs the native instruction the
	 * plugin left, which is right there; under a hypervisor that same
	 * instruction faults, is silently ignored (cli at IOPL 1 on Xen) or
	 * reads the hypervisor's state, so a kernel must not run with one.
	 * The patcher then reports every refused site and patches nothing
	 * (previrt_patch_range returns PREVIRT_EREFUSED), and the entry
	 * stops the domain.  Set by every hypervisor backend, not by native.
	 */
	int refusal_fatal;
};

/*
 * Helpers for ->emit() (emit.c).  Each writes into out (the sled's size),
 * relative to sled->addr, and pads the rest with NOPs; 0, or -1 when the
 * sled is too short or a rel32 cannot reach the target.
 *
 *  previrt_emit_call        call target: a stub of the backend's that
 *                           saves what it uses and returns to call+5
 *  previrt_emit_jmp         jmp target: a stub that leaves by a route of its
 *                           own (a kernel return) and never comes back
 *  previrt_emit_store_byte  movb $value, target: no register or flag
 *                           touched (e.g. Xen's event-channel mask for
 *                           cli/sti); rip-relative on x86-64
 *  previrt_emit_pad         canonical NOPs from out[from] to the end
 */
int previrt_emit_call(unsigned char *out, const struct previrt_sled *sled, const void *target);
int previrt_emit_jmp(unsigned char *out, const struct previrt_sled *sled, const void *target);
int previrt_emit_store_byte(unsigned char *out, const struct previrt_sled *sled,
			    const void *target, unsigned char value);
void previrt_emit_pad(unsigned char *out, const struct previrt_sled *sled, unsigned int from);

/* The built-in backends (all those compiled in), NULL-terminated. */
extern const struct previrt_backend *const previrt_builtin_backends[];

/*
 * Pick a backend by the value of "previrt=" in cmdline (env->platform,
 * env->extra_backends, then the built-in ones); with no previrt=,
 * env->platform when set, else the first built-in backend whose detect()
 * says yes, else native.  With env->platform set, previrt= naming another
 * backend is PREVIRT_EPLATFORM.  On error returns NULL, sets *err to a
 * PREVIRT_E* code and writes a message.
 */
const struct previrt_backend *previrt_select_backend(const char *cmdline,
						      const struct previrt_env *env, int *err);

/*
 * The core, without the boot-time globals: validate and patch
 * [begin, end) for backend b.  Used by previrt_boot(), by module loading,
 * by tests and by the benchmark.  Adds into *st (not cleared).  Returns
 * PREVIRT_OK, or PREVIRT_EREFUSED when b->refusal_fatal and a site was
 * refused: every refused site is reported first, and if any refusal was
 * foreseeable without writing (everything but a text write that fails
 * or a dispatcher call that cannot reach) nothing at all is patched.
 */
int previrt_patch_range(const struct previrt_site *begin, const struct previrt_site *end,
			 const struct previrt_backend *b, const struct previrt_env *env,
			 struct previrt_stats *st);

/*
 * Sites routed through the dispatcher need a slot each (the sled keeps
 * only a 24-bit slot number; the slot keeps the original bytes).  The
 * slot table is static: PREVIRT_DISPATCH_SLOTS of them.
 */
#ifndef PREVIRT_DISPATCH_SLOTS
#define PREVIRT_DISPATCH_SLOTS	4096
#endif
unsigned int previrt_dispatch_slots_used(void);

/* Entry point of the generic dispatcher (assembly), for the emitter. */
extern char previrt_dispatch_entry[];

#endif /* PREVIRT_BACKEND_H */
