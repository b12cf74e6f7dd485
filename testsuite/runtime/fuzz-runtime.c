// SPDX-License-Identifier: MIT
/*
 * Fuzz target for record validation, the patcher, the inline emitters,
 * the generic dispatcher, the virtual CPU model and the decoder
 * (libFuzzer's entry point; fuzz-driver.c runs it without libFuzzer).
 *
 * An input is a table of records plus a text buffer (fuzz-input.h).
 * Record offsets either point into the text (most of the time, so that
 * real validation happens) or are taken raw (so that wild pointers are
 * met); the environment bounds the text to the buffer, so no record can
 * make the runtime read or write outside it, which ASan checks.  The mode
 * byte picks the backend: native (keep), generic (dispatch everything,
 * or one class in three kept), or inline (sequences made with emit.c).
 * After a generic patch every dispatched sled is entered the way its call
 * would enter it: pv_dispatch_c() on a register frame, with a backend
 * whose handler is the virtual CPU model, so that what a site's
 * instruction means is run, not only its patching.
 *
 * Invariants that must hold for every input, else abort():
 *   - every record is counted once: kept + patched + refused == sites, or,
 *     where refusals are fatal (mode bit), one refusal patches nothing;
 *   - the patcher names every site it keeps or patches (verbose), and
 *     bytes outside those sites' sleds never change;
 *   - patching the same table again patches nothing new with the generic
 *     backend (a patched sled is no longer pristine) and changes nothing
 *     with the native and inline ones;
 *   - a kept sled is its instruction and canonical NOPs; an inline sled
 *     is exactly the emitter's sequence (call or store to the right
 *     target) and NOPs to the sled's end;
 *   - a dispatched site resumes at its sled's end, with the flags the
 *     model computed, and cli/sti/stac/clac/pushf/popf leave the virtual
 *     CPU and the stack as the hardware would; the dispatcher only gives
 *     up on an instruction the model says it does not emulate, and
 *     refuses an entry from a sled it never patched;
 *   - the decoder never claims more bytes than it was given or than 15,
 *     gives the same answer with exactly its length, and reports
 *     truncation with one byte fewer.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <previrt/backend.h>
#include <previrt/vcpu.h>
#include "internal.h"
#include "fuzz-input.h"

#define TEXT FUZZ_TEXT
#define MAXREC FUZZ_MAXREC

extern const struct previrt_backend previrt_backend_native;
/* the C half of the dispatcher, entered here as its assembly would */
void pv_dispatch_c(struct previrt_regs *r);

/*
 * What the virtual CPU may touch: data on both sides of the register
 * frame, and the text itself (rip-relative operands).  The frame sits
 * where the interrupted code's stack is, so pushes land in its gap and
 * pops read the data above it, as on a real stack.
 */
#define ARENA		0x10000
#define FRAME_AT	0x4000
#define FRAME_SPAN	0x100
#define TEXT_AT		0x8000
#define POINTERS_AT	0x2000
static unsigned char arena[ARENA] __attribute__((aligned(64)));
static unsigned char *const text = arena + TEXT_AT;
static struct previrt_regs *const frame = (struct previrt_regs *)(arena + FRAME_AT);
static struct previrt_site tab[MAXREC];

_Static_assert(sizeof(struct previrt_regs) <= FRAME_SPAN, "the frame fits its hole");

static struct previrt_vcpu vcpu;
static unsigned char in_data;		/* what port reads return */
static unsigned long mmio_seen;

static int inside(unsigned long a, unsigned long n)
{
	unsigned long lo = (unsigned long)arena, hi = lo + ARENA;
	unsigned long flo = (unsigned long)frame, fhi = flo + FRAME_SPAN;

	if (a < lo || a + n < a || a + n > hi)
		return 0;
	return a + n <= flo || a >= fhi;
}

static uint32_t hook_in(struct previrt_vcpu *v, unsigned int port, unsigned int size)
{
	(void)v; (void)size;
	return (uint32_t)in_data * 0x01010101u ^ port;
}

static void hook_out(struct previrt_vcpu *v, unsigned int port, unsigned int size, uint32_t val)
{
	(void)v; (void)port; (void)size; (void)val;
}

/* device memory the hooks stand for: any address, nothing dereferenced */
static uint64_t hook_mmio_read(struct previrt_vcpu *v, unsigned long a, unsigned int size)
{
	(void)v;
	mmio_seen++;
	return a ^ size;
}

static void hook_mmio_write(struct previrt_vcpu *v, unsigned long a, unsigned int size,
			    uint64_t val)
{
	(void)v; (void)a; (void)size; (void)val;
	mmio_seen++;
}

static void hook_idle(struct previrt_vcpu *v)
{
	(void)v;
}

static void hook_cpuid(struct previrt_vcpu *v, uint32_t leaf, uint32_t sub, uint32_t *a,
		       uint32_t *b, uint32_t *c, uint32_t *d)
{
	previrt_vcpu_cpuid_adjust(v, leaf, sub, a, b, c, d);
}

/*
 * The harness's own limit, not the model's: an operand the model would
 * dereference outside the arena, or a string instruction longer than the
 * arena, is not run (the site then does nothing, as a NOP would).
 */
static int runnable(struct previrt_regs *r, const struct pv_x86_insn *in,
		    const struct previrt_site *s)
{
	unsigned long amask, count, span, a;

	if (in->op == PV_OP_INS || in->op == PV_OP_OUTS) {
		amask = in->adsize >= sizeof(long) ? ~0UL : (1UL << (8 * in->adsize)) - 1;
		count = (in->prefixes & PV_PFX_REP) ? r->cx & amask : 1;
		if (count > 64)
			return 0;
		span = count * in->opsize;
		a = in->op == PV_OP_INS ? r->di & amask : (r->si & amask) +
			(in->seg_override == PV_SEG_FS ? vcpu.fs_base :
			 in->seg_override == PV_SEG_GS ? vcpu.gs_base : 0);
		return inside(a - span, 2 * span + 8);
	}
	if (!in->has_mem)
		return 1;
	/* these only compute the address */
	if (in->op == PV_OP_INVLPG || in->op == PV_OP_INVPCID || in->op == PV_OP_INVLPGA)
		return 1;
	if (vcpu.ops && (in->op == PV_OP_MOV_LOAD || in->op == PV_OP_MOV_STORE))
		return 1;
	return inside(pv_vcpu_ea(&vcpu, r, in, s), 16);
}

static jmp_buf gave_up;

static int handle(struct previrt_vcpu *v, struct previrt_regs *r, const struct pv_x86_insn *in,
		  const struct previrt_site *s)
{
	unsigned long sp = r->sp;
	int rc;

	if (!runnable(r, in, s))
		return 0;
	rc = previrt_vcpu_emulate(v, r, in, s);
	/*
	 * An instruction that loads %rsp (mov %cr4,%rsp, a load into %rsp)
	 * moves the stack the dispatcher returns on.  Below the frame the
	 * dispatcher refuses it; above, it writes its exit block there,
	 * which in this harness must stay inside the arena.
	 */
	if (!rc && r->sp != sp && r->sp >= sp - PREVIRT_FRAME_PUSH_MAX &&
	    !inside(r->sp - 2 * sizeof(long), 2 * sizeof(long)))
		longjmp(gave_up, 2);
	return rc;
}

static struct previrt_backend generic = { .name = "fuzz-generic", .handle = handle,
					   .vcpu = &vcpu };

/* Inline: a store to a flag, a call to a stub, the instruction kept, or a refusal. */
static unsigned char inline_flag;
static void inline_stub(void)
{
}

static int emit(const struct previrt_sled *sled, unsigned char *out)
{
	switch (sled->site->klass % 4) {
	case 0:
		return previrt_emit_store_byte(out, sled, &inline_flag, sled->site->klass);
	case 1:
		return previrt_emit_call(out, sled, (const void *)inline_stub);
	case 2:
		memcpy(out, sled->addr, sled->site->insn_len);
		previrt_emit_pad(out, sled, sled->site->insn_len);
		return 0;
	}
	return -1;
}

static struct previrt_backend inline_be = { .name = "fuzz-inline", .emit = emit };

/*
 * What the patcher said of each record (verbose: every site is named),
 * so that the checks look at the records it patched, not at every record
 * whose bytes changed: a corrupt record may point into a patched sled.
 */
struct verdicts {
	char of[MAXREC];	/* 'p' patched, 'k' kept, 0 refused */
	unsigned int kept, patched;
};

static void listen(const char *s, unsigned long n, void *ctx)
{
	static const char site[] = "previrt: site #";
	struct verdicts *v = ctx;
	const char *p;
	unsigned long i = 0;

	(void)n;
	if (strncmp(s, site, sizeof(site) - 1))
		return;
	for (p = s + sizeof(site) - 1; *p >= '0' && *p <= '9'; p++)
		i = i * 10 + (unsigned long)(*p - '0');
	if (i >= MAXREC)
		abort();
	if (strstr(p, "): patched: ")) {
		v->of[i] = 'p';
		v->patched++;
	} else if (strstr(p, "): kept: ")) {
		v->of[i] = 'k';
		v->kept++;
	}
}

/* The dispatcher gives up through env->fatal, which must not return. */
static char fatal_why[256];	/* a copy: the dispatcher's own is on the stack left */

static void fatal(const char *why, void *ctx)
{
	(void)ctx;
	strncpy(fatal_why, why, sizeof(fatal_why) - 1);
	longjmp(gave_up, 1);
}

static void *lend(unsigned long size, void *ctx)
{
	(void)ctx;
	return malloc(size);
}

static void give_back(void *p, unsigned long size, void *ctx)
{
	(void)size; (void)ctx;
	free(p);
}

static void check_decoder(const uint8_t *p, size_t n, int bits)
{
	struct pv_x86_insn a, b;
	int la = pv_x86_decode(p, n, bits, &a);

	if (la < 0)
		return;
	if ((size_t)la > n || la > 15 || la != a.len)
		abort();
	if (pv_x86_decode(p, (size_t)la, bits, &b) != la || b.op != a.op || b.klass != a.klass)
		abort();
	if (pv_x86_decode(p, (size_t)la - 1, bits, &b) != PV_DEC_TRUNCATED)
		abort();
	(void)pv_x86_is_padding(p, n < 16 ? n : 16, bits);
}

/*
 * Every record counted once.  Where refusals are fatal, one refusal stops
 * the patch before anything is written (writes never fail here): the
 * others are then neither kept nor patched.
 */
static void check_counts(const struct previrt_stats *st, unsigned int n, int rc, int fatal)
{
	if (st->sites != n)
		abort();
	if (rc == PREVIRT_EREFUSED) {
		if (!fatal || !st->refused || st->kept || st->patched)
			abort();
		return;
	}
	if (rc != PREVIRT_OK || (fatal && st->refused) ||
	    st->kept + st->patched + st->refused != n)
		abort();
}

static long rel32_at(const unsigned char *p)
{
	int32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* A sled the patcher changed: what it now holds must be what was asked for. */
static void check_filled(const struct previrt_site *s, const unsigned char *was, int backend)
{
	const unsigned char *at = previrt_site_sled(s);
	unsigned int n = s->sled_len, used;

	switch (backend) {
	case FUZZ_BACKEND_NATIVE:	/* kept: only the padding may change */
		if (memcmp(at, was, s->insn_len) ||
		    !pv_x86_is_padding(at + s->insn_len, n - s->insn_len, 64))
			abort();
		return;
	case FUZZ_BACKEND_INLINE:
		switch (s->klass % 4) {
		case 0:
			if (at[0] != 0xc6 || at[1] != 0x05 || at[6] != s->klass ||
			    (unsigned long)at + 7 + rel32_at(at + 2) != (unsigned long)&inline_flag)
				abort();
			used = 7;
			break;
		case 1:
			if (at[0] != 0xe8 ||
			    (unsigned long)at + 5 + rel32_at(at + 1) != (unsigned long)inline_stub)
				abort();
			used = 5;
			break;
		case 2:
			if (memcmp(at, was, s->insn_len))
				abort();
			used = s->insn_len;
			break;
		default:
			abort();	/* the emitter refused: nothing may be written */
		}
		if (!pv_x86_is_padding(at + used, n - used, 64))
			abort();
		return;
	}
	/* generic: call the dispatcher, 24-bit slot, int3 to the end */
	if (at[0] != 0xe8 ||
	    (unsigned long)at + 5 + rel32_at(at + 1) != (unsigned long)previrt_dispatch_entry ||
	    (unsigned int)(at[5] | at[6] << 8 | at[7] << 16) >= previrt_dispatch_slots_used())
		abort();
	for (used = 8; used < n; used++)
		if (at[used] != 0xcc)
			abort();
}

static unsigned long reg_value(unsigned char b)
{
	static const unsigned long constants[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 0x60, 0x80, 0x3f8, 0xcf8, 0xffff, 0x10000,
		0xc0000080, 0xc0000100, 0xc0000101, 0xc0000102, 0xc0000103, 0x1b, 0x10,
		0xffffffff, 0x80000000, ~0UL, 0x100000000UL, 0x80000001, 0xd, 7 << 8,
	};

	if (b < 0x80)
		return (unsigned long)arena + POINTERS_AT + ((long)b - 0x40) * 16;
	return constants[(b & 0x7f) % (sizeof(constants) / sizeof(constants[0]))];
}

static unsigned long flags_value(unsigned char b)
{
	return 0x2 | (b & 1) | (b & 2 ? 0x400 : 0) | (b & 4 ? 0x200 : 0) | (b & 8 ? 0x40 : 0) |
	       (b & 0x10 ? 0x80 : 0) | (b & 0x20 ? 0x800 : 0) | (b & 0x40 ? 0x4 : 0);
}

static void load_frame(const uint8_t *hdr)
{
	unsigned int i;

	memset(frame, 0, sizeof(*frame));
	for (i = 0; i < FUZZ_REGS; i++)
		if (i != 4)	/* the stack pointer is the frame's, as the call left it */
			*previrt_reg(frame, i) = reg_value(hdr[FUZZ_OFF_REGS + i]);
	frame->flags = flags_value(hdr[FUZZ_OFF_FLAGS]);
}

/* Enter a sled's call as the CPU would: return address = sled + 5. */
static void enter(const struct previrt_site *s, const unsigned char *orig, const uint8_t *hdr)
{
	const unsigned char *at = previrt_site_sled(s);
	struct pv_x86_insn in;
	unsigned long old_sp = (unsigned long)(&frame->ret + 1), exit_block[2];
	volatile uint64_t popped = 0;
	int if_before = vcpu.if_flag;

	load_frame(hdr);
	frame->ip = (unsigned long)at + 5;
	frame->ret = frame->ip;
	/*
	 * The instruction the sled held, which the dispatcher's slot keeps.
	 * This record may not be the one that was patched (a corrupt copy of
	 * it at the same address is refused, yet its sled changed), so its
	 * insn_len is not trusted here.
	 */
	if (pv_x86_decode(orig, s->sled_len, 64, &in) < 0)
		in.op = PV_OP_NONE;
	if (in.op == PV_OP_POPF)
		popped = previrt_mem_read(old_sp, in.opsize);
	fatal_why[0] = 0;
	switch (setjmp(gave_up)) {
	case 0:
		break;
	case 2:
		return;	/* a new stack the harness cannot give */
	default:
		/*
		 * Only an instruction the model does not run may end here, or
		 * one that moved %rsp below the frame (only a push is bounded)
		 */
		if (!strstr(fatal_why, "cannot emulate") &&
		    !(strstr(fatal_why, "pushed") && in.op != PV_OP_PUSHF &&
		      in.op != PV_OP_PUSH_SEG))
			abort();
		return;
	}
	pv_dispatch_c(frame);
	memcpy(exit_block, (const void *)frame->sp, sizeof(exit_block));	/* as unaligned as the stack */
	if (exit_block[1] != (unsigned long)at + s->sled_len || exit_block[0] != frame->flags)
		abort();
	switch (in.op) {
	case PV_OP_CLI: if (vcpu.if_flag) abort(); break;
	case PV_OP_STI: if (!vcpu.if_flag) abort(); break;
	case PV_OP_CLAC: if (vcpu.ac_flag) abort(); break;
	case PV_OP_STAC: if (!vcpu.ac_flag) abort(); break;
	case PV_OP_PUSHF:
		if (frame->sp + sizeof(exit_block) != old_sp - in.opsize ||
		    !!(previrt_mem_read(old_sp - in.opsize, in.opsize) & 0x200) != !!if_before)
			abort();
		break;
	case PV_OP_POPF:
		if (frame->sp + sizeof(exit_block) != old_sp + in.opsize ||
		    vcpu.if_flag != !!(popped & 0x200))
			abort();
		break;
	}
}

/* An entry from where no patched sled is must be refused, never run. */
static void enter_bogus(const unsigned char *at, const uint8_t *hdr, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (previrt_site_sled(&tab[i]) == at)
			return;	/* it may be a real one */
	load_frame(hdr);
	frame->ip = (unsigned long)at + 5;
	fatal_why[0] = 0;
	if (setjmp(gave_up)) {
		if (!strstr(fatal_why, "no patched sled") && !strstr(fatal_why, "does not decode"))
			abort();
		return;
	}
	pv_dispatch_c(frame);
	abort();
}

static const struct previrt_vmm_ops hook_ops = {
	.port_in = hook_in, .port_out = hook_out,
	.mmio_read = hook_mmio_read, .mmio_write = hook_mmio_write,
	.idle = hook_idle, .cpuid = hook_cpuid,
};

static void run_dispatched(const unsigned char *before, const uint8_t *hdr, unsigned int n,
			   const char *verdict)
{
	static unsigned char patched[TEXT + 16];
	unsigned int i;

	memset(&vcpu, 0, sizeof(vcpu));
	in_data = hdr[FUZZ_OFF_PORT];
	if (hdr[0] & FUZZ_MODE_HOOKS)
		vcpu.ops = &hook_ops;
	memcpy(patched, text, sizeof(patched));
	for (i = 0; i < n; i++) {
		const unsigned char *at = previrt_site_sled(&tab[i]);
		unsigned long off = (unsigned long)at - (unsigned long)text;

		/* the model may have stored into the text (rip-relative operands) */
		memcpy(text, patched, sizeof(patched));
		/* a sled the patcher rewrote into a call to the dispatcher */
		if (verdict[i] == 'p')
			enter(&tab[i], before + off, hdr);
	}
	memcpy(text, patched, sizeof(patched));
	/* with no slot, the dispatcher has no environment to die through: it spins */
	if (hdr[19] && previrt_dispatch_slots_used())
		enter_bogus(text + hdr[19] % TEXT, hdr, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs in which some site passed validation: a fuzzer that never gets
 * past the checks tests little, and the driver says how often it did. */
unsigned long fuzz_inputs_accepted;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char before[TEXT + 16], claimed[TEXT + 16], pristine[TEXT + 16];
	static struct verdicts said, said_again;
	uint8_t hdr[FUZZ_HEADER] = { 0 };
	const struct previrt_backend *b;
	struct previrt_env env = { .write = listen, .fatal = fatal, .verbose = 1 };
	struct previrt_stats st, st2;
	unsigned int n, i, mode, backend;
	size_t k;
	int rc;

	if (size < 1)
		return 0;
	for (k = 1; k < size && k < 64; k++) {
		check_decoder(data + k, size - k, 64);
		check_decoder(data + k, size - k, 32);
	}
	memcpy(hdr, data, size < FUZZ_HEADER ? size : FUZZ_HEADER);
	mode = hdr[0];
	data += size < FUZZ_HEADER ? size : FUZZ_HEADER;
	size -= size < FUZZ_HEADER ? size : FUZZ_HEADER;

	memset(arena, 0, sizeof(arena));
	memset(text, 0xcc, TEXT + 16);
	memcpy(text, data, size < TEXT ? size : TEXT);
	data += size < TEXT ? size : TEXT;
	size -= size < TEXT ? size : TEXT;
	n = (unsigned int)(size / PREVIRT_SITE_SIZE);
	if (n > MAXREC)
		n = MAXREC;
	for (i = 0; i < n; i++) {
		struct previrt_site *r = &tab[i];

		memcpy(r, data + i * PREVIRT_SITE_SIZE, PREVIRT_SITE_SIZE);
		if (!(r->reserved & 0x80)) {
			/* aim at the text, keep the rest of the record as given */
			unsigned int at = (unsigned int)r->sled_rel % TEXT;
			r->sled_rel = (int)((char *)(text + at) - (char *)&r->sled_rel);
			if (!(r->reserved & 0x40))
				r->reserved = 0;
		}
	}
	env.text_lo = (unsigned long)text;
	env.text_hi = (unsigned long)text + TEXT;
	if (mode & FUZZ_MODE_LEND) {
		env.alloc = lend;
		env.release = give_back;
	}
	backend = (mode & FUZZ_MODE_BACKEND) >> 1;
	b = backend == FUZZ_BACKEND_NATIVE ? &previrt_backend_native :
	    backend == FUZZ_BACKEND_INLINE ? &inline_be : &generic;
	generic.refusal_fatal = inline_be.refusal_fatal = !!(mode & FUZZ_MODE_FATAL);
	for (i = 1; i < PREVIRT_CLASS_COUNT; i++) {
		generic.fill[i] = (unsigned char)(backend == FUZZ_BACKEND_GENERIC || i % 3 ?
						  PREVIRT_FILL_GENERIC : PREVIRT_FILL_KEEP);
		inline_be.fill[i] = PREVIRT_FILL_INLINE;
	}

	memcpy(before, text, sizeof(before));
	memcpy(pristine, text, sizeof(pristine));

	pv_dispatch_forget_all();
	memset(&st, 0, sizeof(st));
	memset(&said, 0, sizeof(said));
	env.ctx = &said;
	rc = previrt_patch_range(tab, tab + n, b, &env, &st);
	check_counts(&st, n, rc, b->refusal_fatal);
	if (said.kept != st.kept || said.patched != st.patched)
		abort();
	if (st.kept + st.patched)
		fuzz_inputs_accepted++;
	/* only the sleds of kept and patched sites may change, and only as asked */
	memset(claimed, 0, sizeof(claimed));
	for (i = 0; i < n; i++) {
		unsigned long off = (unsigned long)previrt_site_sled(&tab[i]) - env.text_lo;

		if (!said.of[i])
			continue;
		if (off >= TEXT || off + tab[i].sled_len > TEXT)
			abort();	/* accepted outside the text bounds */
		memset(claimed + off, 1, tab[i].sled_len);
		if (memcmp(text + off, before + off, tab[i].sled_len))
			check_filled(&tab[i], before + off, said.of[i] == 'k' ?
				     FUZZ_BACKEND_NATIVE : (int)backend);
	}
	for (k = 0; k < sizeof(before); k++)
		if (!claimed[k] && text[k] != before[k])
			abort();

	memcpy(before, text, sizeof(before));
	memset(&st2, 0, sizeof(st2));
	memset(&said_again, 0, sizeof(said_again));
	env.ctx = &said_again;
	rc = previrt_patch_range(tab, tab + n, b, &env, &st2);
	check_counts(&st2, n, rc, b->refusal_fatal);
	if (backend == FUZZ_BACKEND_NATIVE || backend == FUZZ_BACKEND_INLINE) {
		if (memcmp(before, text, sizeof(before)))
			abort();
		if (backend == FUZZ_BACKEND_NATIVE && st2.kept != st.kept)
			abort();
	} else {
		if (st2.patched != 0)
			abort();
		run_dispatched(pristine, hdr, n, said.of);
	}
	return 0;
}
