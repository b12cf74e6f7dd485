// SPDX-License-Identifier: MIT
/*
 * Record validation, the patcher's all-or-nothing rule, the emitters and
 * backend selection, on tables built in memory.
 *
 * The sleds here live in a data buffer (they are patched, never run; the
 * runtime programs run theirs), each record points at its sled the way the
 * plugin's do (PC-relative), and env->write collects the messages so that
 * a test can check that a refusal names the site.  Check runs each test
 * in its own process, so the runtime's static state starts fresh.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <previrt/backend.h>

static unsigned char text[64 * 1024] __attribute__((aligned(16)));
static struct previrt_site tab[5000];
static char msgs[64 * 1024];
static size_t msgs_len;

static void collect(const char *s, unsigned long n, void *ctx)
{
	(void)ctx;
	if (msgs_len + n < sizeof(msgs)) {
		memcpy(msgs + msgs_len, s, n);
		msgs_len += n;
		msgs[msgs_len] = 0;
	}
}

static struct previrt_env env = { .write = collect };
static int lent_back;

/* Point record r at sled and fill its fields as the plugin would. */
static void set_record(struct previrt_site *r, unsigned char *sled, int klass,
		       int insn_len, int sled_len)
{
	memset(r, 0, sizeof(*r));
	r->sled_rel = (int)((char *)sled - (char *)&r->sled_rel);
	r->version = PREVIRT_ABI_VERSION;
	r->arch = PREVIRT_ARCH_X86_64;
	r->klass = (unsigned char)klass;
	r->sled_len = (unsigned char)sled_len;
	r->insn_len = (unsigned char)insn_len;
}

/* Instruction bytes followed by gas-style padding up to the 8-byte budget. */
static unsigned char *put_sled(size_t off, const char *insn, int n)
{
	unsigned char *p = text + off;
	int sled = n > 8 ? n : 8;

	memcpy(p, insn, (size_t)n);
	pv_x86_fill_nops(p + n, (size_t)(sled - n));
	return p;
}

/* A site with a well-formed cli sled at offset off. */
static void good_cli(struct previrt_site *r, size_t off)
{
	set_record(r, put_sled(off, "\xfa", 1), PREVIRT_CLASS_CLI, 1, 8);
}

static int handled;
static int count_handler(struct previrt_vcpu *v, struct previrt_regs *regs,
			 const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	(void)v; (void)regs; (void)insn; (void)site;
	handled++;
	return 0;
}

static struct previrt_backend generic_be = {
	.name = "generic-test",
	.handle = count_handler,
};

static void setup(void)
{
	unsigned int c;

	memset(text, 0xcc, sizeof(text));
	msgs_len = 0;
	msgs[0] = 0;
	for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
		generic_be.fill[c] = PREVIRT_FILL_GENERIC;
	env.text_lo = env.text_hi = 0;
	env.poke = NULL;
	env.alloc = NULL;
	env.release = NULL;
	lent_back = 0;
}

static struct previrt_stats run(int n, const struct previrt_backend *b)
{
	struct previrt_stats st;

	memset(&st, 0, sizeof(st));
	previrt_patch_range(tab, tab + n, b, &env, &st);
	return st;
}

/* ---- the generic emitter ---- */

START_TEST(test_generic_call_encoding)
{
	struct previrt_stats st;
	unsigned char *sled = text + 64;
	int32_t rel;

	good_cli(&tab[0], 64);
	st = run(1, &generic_be);
	ck_assert_int_eq(st.patched, 1);
	ck_assert_int_eq(st.patched_by_class[PREVIRT_CLASS_CLI], 1);
	ck_assert_int_eq(sled[0], 0xe8);
	memcpy(&rel, sled + 1, 4);
	ck_assert_uint_eq((uintptr_t)sled + 5 + (intptr_t)rel, (uintptr_t)previrt_dispatch_entry);
	/* slot number 0, little-endian in the three bytes after the call */
	ck_assert_int_eq(sled[5] | sled[6] << 8 | sled[7] << 16, 0);
	ck_assert_uint_eq(previrt_dispatch_slots_used(), 1);
	ck_assert_int_eq(text[72], 0xcc);	/* nothing written past the sled */
}
END_TEST

START_TEST(test_generic_long_sled)
{
	/* mov %rax,%cr3 with a 9-byte encoding (REX + SIB form is not one;
	 * use lgdt 0x12345678(%rip) = 7 bytes + 66? no: lidt with disp32 and
	 * REX prefix 0x48: 8 bytes -> sled 8; add a segment prefix -> 9) */
	static const char lidt9[] = "\x2e\x48\x0f\x01\x1d\x00\x00\x00\x00";
	struct previrt_stats st;
	unsigned char *sled = put_sled(128, lidt9, 9);
	unsigned int i;

	set_record(&tab[0], sled, PREVIRT_CLASS_DESC_LOAD, 9, 9);
	st = run(1, &generic_be);
	ck_assert_int_eq(st.patched, 1);
	ck_assert_int_eq(sled[0], 0xe8);
	ck_assert_int_eq(sled[8], 0xcc);	/* rest of a long sled: int3 */
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(sled[5 + i], 0);
}
END_TEST

START_TEST(test_slots_numbered_in_order)
{
	struct previrt_stats st;
	int i;

	for (i = 0; i < 300; i++)
		good_cli(&tab[i], 16 * (size_t)i);
	st = run(300, &generic_be);
	ck_assert_int_eq(st.patched, 300);
	for (i = 0; i < 300; i++) {
		unsigned char *s = text + 16 * i;
		ck_assert_int_eq(s[5] | s[6] << 8 | s[7] << 16, i);
	}
}
END_TEST

START_TEST(test_slots_exhausted)
{
	struct previrt_stats st;
	int i, n = PREVIRT_DISPATCH_SLOTS + 2;

	ck_assert_int_le(n * 8, (int)sizeof(text));
	ck_assert_int_le(n, (int)(sizeof(tab) / sizeof(tab[0])));
	for (i = 0; i < n; i++)
		good_cli(&tab[i], 8 * (size_t)i);
	st = run(n, &generic_be);
	ck_assert_int_eq(st.patched, PREVIRT_DISPATCH_SLOTS);
	ck_assert_int_eq(st.refused, 2);
	ck_assert_ptr_nonnull(strstr(msgs, "dispatcher slots are taken"));
	ck_assert_int_eq(text[8 * (n - 1)], 0xfa);	/* the refused ones untouched */
}
END_TEST

/* ---- the native backend ---- */

/*
 * The native backend keeps the 8-byte sled 'bytes' (instruction where the
 * shape puts it) and rewrites its padding into 'want', idempotently.
 */
static void check_native_keeps(const char *bytes, int klass, int insn_len, int flags,
			       const unsigned char *want)
{
	extern const struct previrt_backend previrt_backend_native;
	struct previrt_stats st;
	unsigned char *sled = text + 256;

	memcpy(sled, bytes, 8);
	set_record(&tab[0], sled, klass, insn_len, 8);
	tab[0].flags = (unsigned char)flags;
	st = run(1, &previrt_backend_native);
	ck_assert_int_eq(st.kept, 1);
	ck_assert_int_eq(st.kept_by_class[klass], 1);
	ck_assert_int_eq(st.patched + st.refused, 0);
	ck_assert_mem_eq(sled, want, 8);
	/* patching again is harmless: same bytes, still valid */
	st = run(1, &previrt_backend_native);
	ck_assert_int_eq(st.kept, 1);
	ck_assert_mem_eq(sled, want, 8);
}

START_TEST(test_native_keeps_instruction_canonical_nops)
{
	static const unsigned char want[8] = { 0x0f, 0x20, 0xd8, 0x0f, 0x1f, 0x44, 0x00, 0x00 };

	/* mov %cr3,%rax followed by five one-byte nops: valid, not canonical */
	check_native_keeps("\x0f\x20\xd8\x90\x90\x90\x90\x90", PREVIRT_CLASS_CR, 3, 0, want);
}
END_TEST

/* Native keeps a padded-first sti at the sled's end. */
START_TEST(test_native_keeps_pad_first)
{
	/* x86-64: every CPU has the long NOPs; the 7 bytes before sti become one */
	static const unsigned char want[8] = { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00, 0xfb };

	check_native_keeps("\x90\x90\x90\x90\x90\x90\x90\xfb", PREVIRT_CLASS_STI, 1,
			   PREVIRT_F_PAD_FIRST, want);
}
END_TEST

/* The shapes that keep an interrupt shadow (abi.h) validate and dispatch. */
static int seen_op[4];
static int op_handler(struct previrt_vcpu *v, struct previrt_regs *regs,
		      const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	(void)v; (void)regs;
	seen_op[handled++ & 3] = insn->op | (site->flags & PREVIRT_F_STI_PAIR ? 0x100 : 0);
	return 0;
}

/* Enter the dispatcher as the patched sled's call would (its return address). */
void pv_dispatch_c(struct previrt_regs *r);
static void dispatch_from(unsigned char *sled)
{
	struct previrt_regs r;

	memset(&r, 0, sizeof(r));
	r.ip = (unsigned long)(sled + 5);
	pv_dispatch_c(&r);
}

START_TEST(test_shadow_shapes_validate)
{
	struct previrt_backend be = generic_be;
	struct previrt_stats st;
	unsigned char *first = text + 256, *pair = text + 512, *mwait = text + 768;

	be.handle = op_handler;
	memcpy(first, "\x90\x90\x90\x90\x90\x90\x90\xfb", 8);
	set_record(&tab[0], first, PREVIRT_CLASS_STI, 1, 8);
	tab[0].flags = PREVIRT_F_PAD_FIRST;
	memcpy(pair, "\xfb\xf4\x66\x0f\x1f\x44\x00\x00", 8);
	set_record(&tab[1], pair, PREVIRT_CLASS_HLT, 2, 8);
	tab[1].flags = PREVIRT_F_STI_PAIR;
	memcpy(mwait, "\xfb\x0f\x01\xc9\x0f\x1f\x40\x00", 8);
	set_record(&tab[2], mwait, PREVIRT_CLASS_MWAIT, 4, 8);
	tab[2].flags = PREVIRT_F_STI_PAIR;
	st = run(3, &be);
	ck_assert_msg(st.refused == 0, "%s", msgs);
	ck_assert_int_eq(st.patched, 3);
	ck_assert_int_eq(first[0], 0xe8);
	ck_assert_int_eq(pair[0], 0xe8);
	/* the dispatcher hands over the recorded instruction, not the sti before it */
	dispatch_from(first);
	dispatch_from(pair);
	dispatch_from(mwait);
	ck_assert_int_eq(seen_op[0], PV_OP_STI);
	ck_assert_int_eq(seen_op[1], PV_OP_HLT | 0x100);
	ck_assert_int_eq(seen_op[2], PV_OP_MWAIT | 0x100);
}
END_TEST

/* ---- refusals: each leaves the sled byte-exact and names the site ---- */

struct corrupt {
	const char *what;
	void (*spoil)(struct previrt_site *r, unsigned char *sled);
	const char *reason;	/* expected in the message */
};

static void bad_version(struct previrt_site *r, unsigned char *s) { (void)s; r->version = 2; }
static void bad_arch(struct previrt_site *r, unsigned char *s) { (void)s; r->arch = PREVIRT_ARCH_IA64; }
static void bad_arch0(struct previrt_site *r, unsigned char *s) { (void)s; r->arch = 0; }
static void bad_class0(struct previrt_site *r, unsigned char *s) { (void)s; r->klass = 0; }
static void bad_class_big(struct previrt_site *r, unsigned char *s) { (void)s; r->klass = 200; }
static void bad_flags(struct previrt_site *r, unsigned char *s) { (void)s; r->flags = 0x80; }
static void bad_slot(struct previrt_site *r, unsigned char *s) { (void)s; r->slot = 1; }
static void bad_reserved(struct previrt_site *r, unsigned char *s) { (void)s; r->reserved = 9; }
static void short_sled(struct previrt_site *r, unsigned char *s) { (void)s; r->sled_len = 7; }
static void long_sled(struct previrt_site *r, unsigned char *s) { (void)s; r->sled_len = 9; }
static void zero_insn(struct previrt_site *r, unsigned char *s) { (void)s; r->insn_len = 0; }
static void huge_insn(struct previrt_site *r, unsigned char *s) { (void)s; r->insn_len = 16; r->sled_len = 16; }
static void wrong_class(struct previrt_site *r, unsigned char *s) { (void)s; r->klass = PREVIRT_CLASS_STI; }
static void wrong_len(struct previrt_site *r, unsigned char *s) { (void)s; r->insn_len = 2; }
static void sti_bytes(struct previrt_site *r, unsigned char *s) { (void)r; s[0] = 0xfb; }
static void int3_pad(struct previrt_site *r, unsigned char *s) { (void)r; s[1] = 0xcc; }
static void junk(struct previrt_site *r, unsigned char *s) { (void)r; s[0] = 0x01; s[1] = 0xc0; }
static void patched(struct previrt_site *r, unsigned char *s)
{
	(void)r;
	memcpy(s, "\xe8\x10\x20\x30\x40\x00\x00\x00", 8);
}
static void longer_insn(struct previrt_site *r, unsigned char *s)
{
	(void)r;
	memcpy(s, "\x0f\x01\xf8\x0f\x1f\x44\x00\x00", 8);	/* swapgs is 3 bytes, record says 1 */
	r->klass = PREVIRT_CLASS_SWAPGS;
}
static void mmio_no_device(struct previrt_site *r, unsigned char *s)
{
	memcpy(s, "\x8b\x07\x0f\x1f\x44\x00\x00\x00", 8);	/* movl (%rdi),%eax */
	r->klass = PREVIRT_CLASS_MMIO;
	r->insn_len = 2;
}
static void bad_arch32_64(struct previrt_site *r, unsigned char *s)
{
	/* 32-bit sled holding a 64-bit-only instruction (swapgs) */
	memcpy(s, "\x0f\x01\xf8\x0f\x1f\x44\x00\x00", 8);
	r->arch = PREVIRT_ARCH_X86_32;
	r->klass = PREVIRT_CLASS_SWAPGS;
	r->insn_len = 3;
}

static void pad_first_cli(struct previrt_site *r, unsigned char *s) { (void)s; r->flags = PREVIRT_F_PAD_FIRST; }
static void pair_on_cli(struct previrt_site *r, unsigned char *s) { (void)s; r->flags = PREVIRT_F_STI_PAIR; }
/* "cli; hlt" recorded as an sti pair: the first byte must be sti */
static void pair_without_sti(struct previrt_site *r, unsigned char *s)
{
	memcpy(s, "\xfa\xf4\x66\x0f\x1f\x44\x00\x00", 8);
	r->klass = PREVIRT_CLASS_HLT;
	r->flags = PREVIRT_F_STI_PAIR;
	r->insn_len = 2;
}
/* sti padded first, but the record says the padding comes after it */
static void pad_first_unflagged(struct previrt_site *r, unsigned char *s)
{
	memcpy(s, "\x90\x90\x90\x90\x90\x90\x90\xfb", 8);
	r->klass = PREVIRT_CLASS_STI;
}

static const struct corrupt corrupts[] = {
	{ "pad-first on cli", pad_first_cli, "shape" },
	{ "sti pair on cli", pair_on_cli, "shape" },
	{ "sti pair without sti", pair_without_sti, "not of the recorded class" },
	{ "pad-first sled, flag missing", pad_first_unflagged, "not of the recorded class (found nop)" },
	{ "version", bad_version, "record version is not 1" },
	{ "arch ia64", bad_arch, "record arch" },
	{ "arch 0", bad_arch0, "record arch" },
	{ "class 0", bad_class0, "class is unknown" },
	{ "class 200", bad_class_big, "class is unknown" },
	{ "flags", bad_flags, "unknown flags" },
	{ "slot", bad_slot, "slot/reserved" },
	{ "reserved", bad_reserved, "slot/reserved" },
	{ "sled shorter than budget", short_sled, "sled budget" },
	{ "sled longer than needed", long_sled, "sled budget" },
	{ "insn_len 0", zero_insn, "sled budget" },
	{ "insn_len 16", huge_insn, "sled budget" },
	{ "class mismatch", wrong_class, "not of the recorded class (found cli)" },
	{ "length mismatch", wrong_len, "length differs" },
	{ "other instruction", sti_bytes, "not of the recorded class (found sti)" },
	{ "int3 in padding", int3_pad, "padding" },
	{ "undecodable", junk, "does not start with a decodable instruction" },
	{ "already patched", patched, "does not start with a decodable instruction" },
	{ "instruction longer than recorded", longer_insn, "length differs" },
	{ "mmio without device flag", mmio_no_device, "not of the recorded class" },
	{ "64-bit-only insn in 32-bit sled", bad_arch32_64, "decodable" },
};
#define NCORRUPTS (sizeof(corrupts) / sizeof(corrupts[0]))

START_TEST(test_corrupt_refused_untouched)
{
	const struct corrupt *c = &corrupts[_i];
	unsigned char before[16], *sled = text + 512;
	struct previrt_stats st;
	char addr[32];

	good_cli(&tab[0], 512);
	good_cli(&tab[1], 1024);	/* a good neighbour: still patched */
	c->spoil(&tab[0], sled);
	memcpy(before, sled, 16);
	st = run(2, &generic_be);
	ck_assert_msg(st.refused == 1, "%s: refused %u", c->what, st.refused);
	ck_assert_int_eq(st.patched, 1);
	ck_assert_int_eq(st.sites, 2);
	ck_assert_msg(memcmp(before, sled, 16) == 0, "%s: sled changed", c->what);
	ck_assert_int_eq(text[1024], 0xe8);
	/* the message names the site: index, address, class, reason */
	snprintf(addr, sizeof(addr), "%p", (void *)sled);
	ck_assert_msg(strstr(msgs, "site #0") && strstr(msgs, addr) && strstr(msgs, "refused") &&
		      strstr(msgs, c->reason), "%s: message was: %s", c->what, msgs);
	ck_assert_msg(strstr(msgs, "site #1") == NULL, "%s: good site reported: %s", c->what, msgs);
}
END_TEST

START_TEST(test_refusal_shows_bytes)
{
	good_cli(&tab[0], 512);
	text[512] = 0xfb;
	run(1, &generic_be);
	ck_assert_ptr_nonnull(strstr(msgs, "class cli"));
	ck_assert_ptr_nonnull(strstr(msgs, "bytes fb 0f 1f 80 00 00 00 00"));
}
END_TEST

START_TEST(test_out_of_range_not_read)
{
	struct previrt_stats st;

	good_cli(&tab[0], 512);
	good_cli(&tab[1], 2048);
	env.text_lo = (unsigned long)text + 1024;
	env.text_hi = (unsigned long)text + 4096;
	st = run(2, &generic_be);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_int_eq(st.patched, 1);
	ck_assert_ptr_nonnull(strstr(msgs, "outside the text"));
	ck_assert_ptr_nonnull(strstr(msgs, "bytes not read"));
	ck_assert_int_eq(text[512], 0xfa);
	/* a sled that straddles the upper bound */
	setup();
	good_cli(&tab[0], 4092);
	env.text_lo = (unsigned long)text;
	env.text_hi = (unsigned long)text + 4096;
	st = run(1, &generic_be);
	ck_assert_int_eq(st.refused, 1);
}
END_TEST

START_TEST(test_wild_pointer_without_bounds)
{
	/* a record pointing 1 GiB away, with no bounds: a bad length keeps it unread */
	struct previrt_stats st;

	good_cli(&tab[0], 0);
	tab[0].sled_rel += 1 << 30;
	tab[0].sled_len = 3;
	st = run(1, &generic_be);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_ptr_nonnull(strstr(msgs, "bytes not read"));
}
END_TEST

START_TEST(test_overlap_sorted)
{
	struct previrt_stats st;

	good_cli(&tab[0], 0);
	good_cli(&tab[1], 100);
	good_cli(&tab[2], 104);	/* overlaps tab[1]: both refused */
	memcpy(text + 104, "\xfa\x0f\x1f\x80\x00\x00\x00\x00", 8);
	good_cli(&tab[3], 200);
	st = run(4, &generic_be);
	ck_assert_int_eq(st.refused, 2);
	ck_assert_int_eq(st.patched, 2);
	ck_assert_int_eq(text[100], 0xfa);
	ck_assert_int_eq(text[104], 0xfa);
	ck_assert_ptr_nonnull(strstr(msgs, "overlaps"));
}
END_TEST

START_TEST(test_overlap_unsorted_and_duplicate)
{
	struct previrt_stats st;

	good_cli(&tab[0], 300);
	good_cli(&tab[1], 0);
	good_cli(&tab[2], 600);
	good_cli(&tab[3], 300);	/* same sled as tab[0], far from it in the table */
	st = run(4, &generic_be);
	ck_assert_int_eq(st.refused, 2);
	ck_assert_int_eq(st.patched, 2);
	ck_assert_int_eq(text[300], 0xfa);
	ck_assert_int_eq(text[0], 0xe8);
}
END_TEST

/*
 * A corrupt record with an empty sled between two overlapping sites must
 * not hide their overlap: in address order, the long sled reaches past its
 * empty neighbour.  (Found by the fuzz target: both sites passed the first
 * pass, the second one then failed in the second pass and was counted
 * nowhere.)  Every record counts once, and the sled bytes of the overlap
 * stay as they were.
 */
START_TEST(test_overlap_sorted_past_empty)
{
	struct previrt_stats st;

	good_cli(&tab[0], 100);
	set_record(&tab[1], text + 102, PREVIRT_CLASS_CLI, 1, 0);	/* empty: refused itself */
	good_cli(&tab[2], 104);	/* overlaps tab[0] */
	memcpy(text + 104, "\xfa\x0f\x1f\x80\x00\x00\x00\x00", 8);
	st = run(3, &generic_be);
	ck_assert_uint_eq(st.refused, 3);
	ck_assert_uint_eq(st.kept + st.patched + st.refused, 3);
	ck_assert_int_eq(text[100], 0xfa);
	ck_assert_int_eq(text[104], 0xfa);
}
END_TEST

static void *lend(unsigned long size, void *ctx)
{
	(void)ctx;
	return malloc(size);
}

static void give_back(void *p, unsigned long size, void *ctx)
{
	(void)size; (void)ctx;
	lent_back++;
	free(p);
}

START_TEST(test_overlap_unsorted_with_memory)
{
	struct previrt_stats st;

	env.alloc = lend;
	env.release = give_back;
	good_cli(&tab[0], 300);
	good_cli(&tab[1], 0);
	good_cli(&tab[2], 600);
	good_cli(&tab[3], 304);	/* starts inside tab[0]'s sled */
	memcpy(text + 304, "\xfa\x0f\x1f\x80\x00\x00\x00\x00", 8);
	good_cli(&tab[4], 900);
	st = run(5, &generic_be);
	ck_assert_int_eq(st.refused, 2);
	ck_assert_int_eq(st.patched, 3);
	ck_assert_int_eq(text[300], 0xfa);
	ck_assert_int_eq(text[304], 0xfa);
	ck_assert_int_eq(lent_back, 1);
	ck_assert_ptr_null(strstr(msgs, "pairwise"));
}
END_TEST

/*
 * The same with the table out of order and memory lent (the sorted
 * index): a duplicated sled among empty ones at the same start, the shape
 * of the fuzzer's input (testsuite/fuzz/corpus/runtime/
 * finding-overlap-hidden-by-empty-sled).
 */
START_TEST(test_overlap_unsorted_past_empty)
{
	struct previrt_stats st;
	int i;

	env.alloc = lend;
	env.release = give_back;
	for (i = 0; i < 9; i++)
		set_record(&tab[i], text + 300, PREVIRT_CLASS_CLI, 1, 0);
	good_cli(&tab[5], 300);
	good_cli(&tab[8], 300);	/* same sled as tab[5] */
	good_cli(&tab[9], 0);
	st = run(10, &generic_be);
	ck_assert_uint_eq(st.patched, 1);
	ck_assert_uint_eq(st.refused, 9);
	ck_assert_int_eq(text[300], 0xfa);
	ck_assert_int_eq(lent_back, 1);
}
END_TEST

/*
 * Random layouts, shuffled tables: the sorted path (memory lent) and the
 * pairwise path (none) must refuse exactly the sites a brute-force count
 * says overlap.
 */
START_TEST(test_overlap_random_agrees)
{
	extern const struct previrt_backend previrt_backend_native;
	unsigned int seed = 12345u + (unsigned int)_i, i, j, n = 400, expect = 0;
	unsigned long off[400];
	struct previrt_stats a, b;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		off[i] = (seed >> 8) % (sizeof(text) - 16);
		put_sled(off[i], "\xfa", 1);
	}
	/* lay records after all sleds are written: a later sled may cover an earlier one */
	for (i = 0; i < n; i++)
		set_record(&tab[i], text + off[i], PREVIRT_CLASS_CLI, 1, 8);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			if (i != j && off[i] < off[j] + 8 && off[j] < off[i] + 8) {
				expect++;
				break;
			}
	env.alloc = lend;
	env.release = give_back;
	a = run((int)n, &previrt_backend_native);
	env.alloc = NULL;
	env.release = NULL;
	b = run((int)n, &previrt_backend_native);
	ck_assert_uint_eq(a.refused, b.refused);
	/* every overlapping site is refused; some non-overlapping ones may be
	 * refused too, because a later sled overwrote their bytes */
	ck_assert_uint_ge(a.refused, expect);
	ck_assert_uint_eq(a.kept + a.refused, n);
	ck_assert_ptr_nonnull(strstr(msgs, "pairwise"));
}
END_TEST

/*
 * A prefix written apart from its instruction (.byte 0xf3 before insb):
 * the processor runs the prefix with the sled's instruction, so a sled
 * whose previous byte has a prefix's value is refused, unless its record
 * vouches for the boundary; REX counts in 64-bit code only.
 */
static const unsigned char legacy_prefixes[] = {
	0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3,
};

/* 32-bit sleds in this 64-bit runtime can only be kept: the native backend for them */
static struct previrt_stats cli_after(unsigned char before, int arch, int flags)
{
	extern const struct previrt_backend previrt_backend_native;

	setup();
	env.text_lo = (unsigned long)text;
	env.text_hi = (unsigned long)text + sizeof(text);
	text[99] = before;
	good_cli(&tab[0], 100);
	tab[0].arch = (unsigned char)arch;
	tab[0].flags = (unsigned char)flags;
	return run(1, arch == PREVIRT_ARCH_X86_32 ? &previrt_backend_native : &generic_be);
}

START_TEST(test_prefix_apart_refused)
{
	struct previrt_stats st;
	unsigned int i, b;

	for (i = 0; i < sizeof(legacy_prefixes); i++) {
		st = cli_after(legacy_prefixes[i], PREVIRT_ARCH_X86_64, 0);
		ck_assert_int_eq(st.refused, 1);
		ck_assert_int_eq(text[100], 0xfa);
		ck_assert_ptr_nonnull(strstr(msgs, "may be a prefix of its instruction"));
		st = cli_after(legacy_prefixes[i], PREVIRT_ARCH_X86_32, 0);
		ck_assert_int_eq(st.refused, 1);
		st = cli_after(legacy_prefixes[i], PREVIRT_ARCH_X86_64, PREVIRT_F_BOUNDARY);
		ck_assert_int_eq(st.patched, 1);
	}
	for (b = 0x40; b <= 0x4f; b++) {
		st = cli_after((unsigned char)b, PREVIRT_ARCH_X86_64, 0);
		ck_assert_int_eq(st.refused, 1);
		/* inc/dec in 32-bit code, not a prefix */
		st = cli_after((unsigned char)b, PREVIRT_ARCH_X86_32, 0);
		ck_assert_int_eq(st.refused, 0);
	}
	/* what usually ends an instruction: a ModRM, ret, a pop, a NOP, an int3 */
	st = cli_after(0xc7, PREVIRT_ARCH_X86_64, 0);
	ck_assert_int_eq(st.patched, 1);
	st = cli_after(0xc3, PREVIRT_ARCH_X86_64, 0);
	ck_assert_int_eq(st.patched, 1);
	st = cli_after(0x58, PREVIRT_ARCH_X86_64, 0);
	ck_assert_int_eq(st.patched, 1);
	st = cli_after(0x90, PREVIRT_ARCH_X86_64, 0);
	ck_assert_int_eq(st.patched, 1);
	st = cli_after(0xcc, PREVIRT_ARCH_X86_64, 0);
	ck_assert_int_eq(st.patched, 1);
}
END_TEST

START_TEST(test_prefix_not_read_below_text)
{
	struct previrt_stats st;

	setup();
	text[99] = 0xf3;
	good_cli(&tab[0], 100);
	env.text_lo = (unsigned long)text + 100;
	env.text_hi = (unsigned long)text + 200;
	st = run(1, &generic_be);
	ck_assert_int_eq(st.patched, 1);
}
END_TEST

/*
 * The byte before a sled that ends another valid site's sled is that
 * site's: not a stray prefix, and rewritten by the first pass, so it is
 * not read.  Both passes must agree: every site counted exactly once.
 */
static void mmio_ending_in_66(size_t off)
{
	/* movl $0x66345678, 0x1000(%rax): 10 bytes, the last one 0x66 */
	set_record(&tab[0], put_sled(off, "\xc7\x80\x00\x10\x00\x00\x78\x56\x34\x66", 10),
		   PREVIRT_CLASS_MMIO, 10, 10);
	tab[0].flags = PREVIRT_F_DEVICE;
}

START_TEST(test_prefix_byte_of_a_neighbour)
{
	struct previrt_stats st;
	int lending;

	for (lending = 0; lending < 2; lending++) {
		setup();
		env.text_lo = (unsigned long)text;
		env.text_hi = (unsigned long)text + sizeof(text);
		if (lending) {
			env.alloc = lend;
			env.release = give_back;
		}
		mmio_ending_in_66(200);
		good_cli(&tab[1], 210);
		/* unsorted for the lending round: the sorted walk must say the same */
		if (lending) {
			set_record(&tab[0], text + 210, PREVIRT_CLASS_CLI, 1, 8);
			set_record(&tab[1], text + 200, PREVIRT_CLASS_MMIO, 10, 10);
			tab[1].flags = PREVIRT_F_DEVICE;
		}
		st = run(2, &generic_be);
		ck_assert_int_eq(st.patched, 2);
		ck_assert_int_eq(st.refused, 0);
		ck_assert_int_eq(st.patched + st.kept + st.refused, st.sites);
	}

	/* the neighbour's record is refused for its own fields: its byte is read */
	setup();
	env.text_lo = (unsigned long)text;
	env.text_hi = (unsigned long)text + sizeof(text);
	mmio_ending_in_66(200);
	tab[0].version = 7;
	good_cli(&tab[1], 210);
	st = run(2, &generic_be);
	ck_assert_int_eq(st.refused, 2);
	ck_assert_int_eq(text[210], 0xfa);
}
END_TEST

/* A record refused for its own fields spoils no other site's sled. */
START_TEST(test_overlap_ignores_refused_records)
{
	struct previrt_stats st;

	good_cli(&tab[0], 100);
	good_cli(&tab[1], 104);
	tab[1].version = 7;
	st = run(2, &generic_be);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_int_eq(st.patched, 1);
	ck_assert_int_eq(text[100], 0xe8);
	ck_assert_ptr_null(strstr(msgs, "overlaps"));
}
END_TEST

static int failing_poke(void *dst, const void *src, unsigned long n, void *ctx)
{
	(void)dst; (void)src; (void)n; (void)ctx;
	return -1;
}

START_TEST(test_poke_failure)
{
	struct previrt_stats st;

	good_cli(&tab[0], 0);
	env.poke = failing_poke;
	st = run(1, &generic_be);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_uint_eq(previrt_dispatch_slots_used(), 0);	/* slot given back */
	ck_assert_int_eq(text[0], 0xfa);
	ck_assert_ptr_nonnull(strstr(msgs, "could not write"));
}
END_TEST

static int emit_marker(const struct previrt_sled *s, unsigned char *out)
{
	unsigned int i;

	ck_assert_int_eq(s->insn->op, PV_OP_STI);
	for (i = 0; i < s->site->sled_len; i++)
		out[i] = (unsigned char)(0x90);
	out[0] = 0x66;
	return 0;
}

static int emit_refuse(const struct previrt_sled *s, unsigned char *out)
{
	(void)s; (void)out;
	return -1;
}

START_TEST(test_inline_emit)
{
	struct previrt_backend be = { .name = "inline-test", .emit = emit_marker };
	struct previrt_stats st;

	be.fill[PREVIRT_CLASS_STI] = PREVIRT_FILL_INLINE;
	set_record(&tab[0], put_sled(0, "\xfb", 1), PREVIRT_CLASS_STI, 1, 8);
	good_cli(&tab[1], 64);	/* class cli: REFUSE (zero) in this backend */
	st = run(2, &be);
	ck_assert_int_eq(st.patched, 1);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_mem_eq(text, "\x66\x90\x90\x90\x90\x90\x90\x90", 8);
	ck_assert_int_eq(text[64], 0xfa);
	ck_assert_ptr_nonnull(strstr(msgs, "cannot run class cli"));

	setup();
	be.emit = emit_refuse;
	set_record(&tab[0], put_sled(0, "\xfb", 1), PREVIRT_CLASS_STI, 1, 8);
	st = run(1, &be);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_int_eq(text[0], 0xfb);
}
END_TEST

START_TEST(test_emit_helpers)
{
	static struct previrt_site site;
	static unsigned char target;
	struct pv_x86_insn insn;
	struct previrt_sled sled = { &site, text + 100, &insn };
	unsigned char out[16];
	int32_t rel;

	site.sled_len = 8;
	memset(out, 0xaa, sizeof(out));
	ck_assert_int_eq(previrt_emit_store_byte(out, &sled, &target, 1), 0);
	ck_assert_int_eq(out[0], 0xc6);
	ck_assert_int_eq(out[1], 0x05);
	memcpy(&rel, out + 2, 4);
	/* integers: comparing pointers into different objects is undefined */
	ck_assert_uint_eq((uintptr_t)text + 100 + 7 + (intptr_t)rel, (uintptr_t)&target);
	ck_assert_int_eq(out[6], 1);
	ck_assert_int_eq(out[7], 0x90);		/* one-byte pad */
	ck_assert_int_eq(out[8], 0xaa);		/* not past the sled */

	ck_assert_int_eq(previrt_emit_call(out, &sled, previrt_dispatch_entry), 0);
	ck_assert_int_eq(out[0], 0xe8);
	memcpy(&rel, out + 1, 4);
	ck_assert_uint_eq((uintptr_t)text + 100 + 5 + (intptr_t)rel, (uintptr_t)previrt_dispatch_entry);
	ck_assert(pv_x86_is_padding(out + 5, 3, 64));

	/* out of reach: refused, as is a sled too short */
	ck_assert_int_eq(previrt_emit_call(out, &sled, (void *)((unsigned long)text + (3ul << 31))), -1);
	site.sled_len = 4;
	ck_assert_int_eq(previrt_emit_call(out, &sled, &target), -1);
	ck_assert_int_eq(previrt_emit_store_byte(out, &sled, &target, 0), -1);
}
END_TEST

START_TEST(test_32bit_sled_in_64bit_runtime)
{
	extern const struct previrt_backend previrt_backend_native;
	struct previrt_stats st;

	good_cli(&tab[0], 0);
	tab[0].arch = PREVIRT_ARCH_X86_32;
	st = run(1, &generic_be);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_ptr_nonnull(strstr(msgs, "32-bit code"));
	st = run(1, &previrt_backend_native);
	ck_assert_int_eq(st.kept, 1);
}
END_TEST

START_TEST(test_empty_and_null_tables)
{
	struct previrt_stats st;

	st = run(0, &generic_be);
	ck_assert_int_eq(st.sites, 0);
	memset(&st, 0, sizeof(st));
	previrt_patch_range(NULL, NULL, &generic_be, &env, &st);
	ck_assert_int_eq(st.sites, 0);
}
END_TEST

/* ---- backend selection ---- */

static const struct previrt_backend *const extras[] = { &generic_be, NULL };

START_TEST(test_select)
{
	const struct previrt_backend *b;
	int err;

	env.extra_backends = extras;
	b = previrt_select_backend("root=/dev/sda previrt=native quiet", &env, &err);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b->name, "native");
	b = previrt_select_backend("previrt=generic-test", &env, &err);
	ck_assert_ptr_eq(b, &generic_be);
	b = previrt_select_backend("previrt=generic-test previrt=native", &env, &err);
	ck_assert_str_eq(b->name, "native");	/* last wins */
	b = previrt_select_backend("", &env, &err);
	ck_assert_str_eq(b->name, "native");	/* none given: detected */
	b = previrt_select_backend(NULL, &env, &err);
	ck_assert_str_eq(b->name, "native");
	b = previrt_select_backend("xprevirt=foo", &env, &err);
	ck_assert_str_eq(b->name, "native");	/* not our option */
	ck_assert_int_eq(err, PREVIRT_OK);
}
END_TEST

START_TEST(test_select_errors)
{
	const struct previrt_backend *b;
	int err;

	b = previrt_select_backend("console=ttyS0 previrt=xem", &env, &err);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(err, PREVIRT_EBACKEND);
	ck_assert_ptr_nonnull(strstr(msgs, "unknown backend 'xem'"));
	ck_assert_ptr_nonnull(strstr(msgs, "known backends: native"));
	b = previrt_select_backend("previrt=", &env, &err);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(err, PREVIRT_ECMDLINE);
	b = previrt_select_backend("previrt=Xen!", &env, &err);
	ck_assert_int_eq(err, PREVIRT_ECMDLINE);
	b = previrt_select_backend("previrt=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &env, &err);
	ck_assert_int_eq(err, PREVIRT_ECMDLINE);
}
END_TEST

static int init_fails(const struct previrt_env *e)
{
	(void)e;
	return -1;
}

START_TEST(test_start_errors_patch_nothing)
{
	struct previrt_backend bad = generic_be;
	const struct previrt_backend *const ex[] = { &bad, &generic_be, NULL };
	struct previrt_stats st;

	bad.name = "bad";
	bad.init = init_fails;
	env.extra_backends = ex;
	good_cli(&tab[0], 0);
	ck_assert_int_eq(previrt_patch_table(tab, tab + 1, &st), PREVIRT_ENOTBOOTED);
	ck_assert_int_eq(previrt_start("previrt=nosuch", &env, tab, tab + 1, &st), PREVIRT_EBACKEND);
	ck_assert_int_eq(previrt_start("previrt=bad", &env, tab, tab + 1, &st), PREVIRT_EINIT);
	ck_assert_int_eq(text[0], 0xfa);
	ck_assert_ptr_nonnull(strstr(msgs, "backend bad failed to start"));
	/* then a good start, and a module table handed over afterwards */
	ck_assert_int_eq(previrt_start("previrt=generic-test", &env, tab, tab + 1, &st), PREVIRT_OK);
	ck_assert_int_eq(st.patched, 1);
	good_cli(&tab[1], 64);
	ck_assert_int_eq(previrt_patch_table(tab + 1, tab + 2, &st), PREVIRT_OK);
	ck_assert_int_eq(st.patched, 1);
	ck_assert_int_eq(text[64], 0xe8);
	ck_assert_ptr_eq(previrt_current_backend(), &generic_be);
	ck_assert_ptr_nonnull(strstr(msgs, "generic-test: 1 sites: 1 patched, 0 kept, 0 refused"));
}
END_TEST

/* ---- the refusal policy: fatal on a hypervisor backend ---- */

/* generic_be, but a refused site is fatal on it, as on xen and l4 */
static struct previrt_backend fatal_be;

static void setup_fatal(void)
{
	setup();
	fatal_be = generic_be;
	fatal_be.name = "fatal-test";
	fatal_be.refusal_fatal = 1;
}

/* Does msgs report site #index at sled as refused, with why? */
static int reported(unsigned int index, const void *sled, const char *why)
{
	char head[64];
	const char *line;

	snprintf(head, sizeof(head), "site #%u at %p ", index, sled);
	line = strstr(msgs, head);
	if (!line)
		return 0;
	line = strstr(line, "refused: ");
	return line && strstr(line, why) && strchr(line, '\n') > strstr(line, why);
}

/* Patch tab[0..n) on fatal_be: it must fail and leave every byte of text as it was. */
static struct previrt_stats run_fatal(int n, const char *what)
{
	static unsigned char before[sizeof(text)];
	struct previrt_stats st;

	memcpy(before, text, sizeof(text));
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(previrt_patch_range(tab, tab + n, &fatal_be, &env, &st), PREVIRT_EREFUSED);
	ck_assert_msg(memcmp(before, text, sizeof(text)) == 0, "%s: text changed", what);
	ck_assert_int_eq(st.sites, n);
	ck_assert_int_eq(st.patched + st.kept, 0);
	ck_assert_uint_eq(previrt_dispatch_slots_used(), 0);
	return st;
}

/* Every kind of bad record, one at a time, among good neighbours. */
START_TEST(test_fatal_refusal_patches_nothing)
{
	const struct corrupt *c = &corrupts[_i];
	struct previrt_stats st;

	good_cli(&tab[0], 0);
	good_cli(&tab[1], 512);
	good_cli(&tab[2], 1024);
	good_cli(&tab[3], 2048);
	c->spoil(&tab[1], text + 512);
	c->spoil(&tab[3], text + 2048);
	st = run_fatal(4, c->what);
	ck_assert_int_eq(st.refused, 2);
	ck_assert_msg(reported(1, text + 512, c->reason) && reported(3, text + 2048, c->reason),
		      "%s: message was: %s", c->what, msgs);
	ck_assert_ptr_nonnull(strstr(msgs, "fatal-test: 2 sites refused: a refused site would "
				     "misbehave on this platform, nothing was patched"));
	ck_assert_ptr_nonnull(strstr(msgs, "addr2line -f -e <image> <address>"));
	/* the same table on a backend where refusal is not fatal: the rest is patched */
	ck_assert_int_eq(previrt_patch_range(tab, tab + 4, &generic_be, &env, &st), PREVIRT_OK);
	ck_assert_int_eq(text[0], 0xe8);
	ck_assert_int_eq(text[1024], 0xe8);
}
END_TEST

static int emit_nop_sled(const struct previrt_sled *s, unsigned char *out)
{
	previrt_emit_pad(out, s, 0);
	return 0;
}

/*
 * Refusals the backend decides, not the record: a class it cannot run,
 * an inline emitter that says no, no handler, 32-bit code, running out
 * of dispatcher slots.  All are known before any write, so all are
 * reported in the first pass and none lets a single site be patched.
 */
START_TEST(test_fatal_backend_refusals_patch_nothing)
{
	struct previrt_stats st;
	int i, n;

	/* class the backend cannot run (cli: FILL_REFUSE), after a good sti */
	fatal_be.fill[PREVIRT_CLASS_CLI] = PREVIRT_FILL_REFUSE;
	fatal_be.fill[PREVIRT_CLASS_STI] = PREVIRT_FILL_INLINE;
	fatal_be.emit = emit_nop_sled;
	set_record(&tab[0], put_sled(0, "\xfb", 1), PREVIRT_CLASS_STI, 1, 8);
	good_cli(&tab[1], 64);
	st = run_fatal(2, "class cli refused");
	ck_assert_int_eq(st.refused, 1);
	ck_assert_int_eq(st.refused_by_class[PREVIRT_CLASS_CLI], 1);
	ck_assert(reported(1, text + 64, "cannot run class cli"));

	/* the inline emitter refuses one site */
	setup_fatal();
	fatal_be.fill[PREVIRT_CLASS_STI] = PREVIRT_FILL_INLINE;
	fatal_be.emit = emit_refuse;
	good_cli(&tab[0], 0);
	set_record(&tab[1], put_sled(64, "\xfb", 1), PREVIRT_CLASS_STI, 1, 8);
	st = run_fatal(2, "emitter refuses");
	ck_assert_int_eq(st.refused, 1);
	ck_assert(reported(1, text + 64, "cannot emit it inline"));

	/* no handler for the dispatcher, and 32-bit code in a 64-bit runtime */
	setup_fatal();
	fatal_be.handle = NULL;
	good_cli(&tab[0], 0);
	good_cli(&tab[1], 64);
	tab[1].arch = PREVIRT_ARCH_X86_32;
	st = run_fatal(2, "no handler, 32-bit code");
	ck_assert_int_eq(st.refused, 2);
	ck_assert(reported(0, text, "has no handler"));
	ck_assert(reported(1, text + 64, "32-bit code"));

	/* one site more than there are dispatcher slots */
	setup_fatal();
	n = PREVIRT_DISPATCH_SLOTS + 1;
	for (i = 0; i < n; i++)
		good_cli(&tab[i], 8 * (size_t)i);
	st = run_fatal(n, "slots exhausted");
	ck_assert_int_eq(st.refused, 1);
	ck_assert(reported((unsigned int)n - 1, text + 8 * (n - 1), "dispatcher slots are taken"));
}
END_TEST

/* A write that fails is only seen when it is made: still fatal, said so. */
START_TEST(test_fatal_backend_write_failure)
{
	struct previrt_stats st;

	good_cli(&tab[0], 0);
	env.poke = failing_poke;
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(previrt_patch_range(tab, tab + 1, &fatal_be, &env, &st), PREVIRT_EREFUSED);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_int_eq(text[0], 0xfa);
	ck_assert(reported(0, text, "could not write the text"));
	ck_assert_ptr_nonnull(strstr(msgs, "fatal-test: 1 sites refused: a refused site would "
				     "misbehave on this platform, the others were patched"));
}
END_TEST

/* A clean table on a fatal backend: patched as anywhere else. */
START_TEST(test_fatal_backend_clean_table)
{
	struct previrt_stats st;

	good_cli(&tab[0], 0);
	good_cli(&tab[1], 64);
	memset(&st, 0, sizeof(st));
	ck_assert_int_eq(previrt_patch_range(tab, tab + 2, &fatal_be, &env, &st), PREVIRT_OK);
	ck_assert_int_eq(st.patched, 2);
	ck_assert_ptr_null(strstr(msgs, "refused"));
}
END_TEST

/* previrt_start: the stats line is printed, the result is the error, nothing runs. */
START_TEST(test_start_fatal_refusal)
{
	const struct previrt_backend *const ex[] = { &fatal_be, NULL };
	struct previrt_stats st;

	env.extra_backends = ex;
	good_cli(&tab[0], 0);
	good_cli(&tab[1], 64);
	text[64] = 0xfb;	/* record says cli, sled holds sti */
	ck_assert_int_eq(previrt_start("previrt=fatal-test", &env, tab, tab + 2, &st),
			 PREVIRT_EREFUSED);
	ck_assert_int_eq(text[0], 0xfa);
	ck_assert_int_eq(st.refused, 1);
	ck_assert_ptr_nonnull(strstr(msgs, "previrt: fatal-test: 2 sites: 0 patched, 0 kept, 1 refused"));
	ck_assert(reported(1, text + 64, "not of the recorded class (found sti)"));
	ck_assert_ptr_null(previrt_current_backend());
	ck_assert_int_eq(previrt_boot_stats()->refused, 1);
	ck_assert_int_eq(previrt_boot_stats()->sites, 2);
	ck_assert_int_eq(previrt_patch_table(tab, tab + 1, &st), PREVIRT_ENOTBOOTED);
	ck_assert_str_eq(previrt_strerror(PREVIRT_EREFUSED),
			 "sites were refused, and that is fatal on this backend");
}
END_TEST

/* The real descriptors: every hypervisor backend built here is fatal, native is not. */
START_TEST(test_native_refusal_not_fatal)
{
	extern const struct previrt_backend previrt_backend_native;

	ck_assert_int_eq(previrt_backend_native.refusal_fatal, 0);
}
END_TEST

/* ---- an entry that knows its platform ---- */

START_TEST(test_select_platform)
{
	const struct previrt_backend *b;
	int err;

	env.platform = &fatal_be;
	b = previrt_select_backend("console=hvc0 quiet", &env, &err);
	ck_assert_ptr_eq(b, &fatal_be);		/* none given: the platform's */
	ck_assert_int_eq(err, PREVIRT_OK);
	b = previrt_select_backend(NULL, &env, &err);
	ck_assert_ptr_eq(b, &fatal_be);
	b = previrt_select_backend("previrt=fatal-test", &env, &err);
	ck_assert_ptr_eq(b, &fatal_be);
	b = previrt_select_backend("previrt=native", &env, &err);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(err, PREVIRT_EPLATFORM);
	ck_assert_ptr_nonnull(strstr(msgs, "previrt=native cannot run here: this kernel was entered "
				     "through the fatal-test entry, only previrt=fatal-test"));
	b = previrt_select_backend("previrt=fatal-test previrt=native", &env, &err);
	ck_assert_int_eq(err, PREVIRT_EPLATFORM);	/* the last one counts */
	b = previrt_select_backend("previrt=nosuch", &env, &err);
	ck_assert_int_eq(err, PREVIRT_EBACKEND);
	ck_assert_ptr_nonnull(strstr(msgs, "known backends: fatal-test native"));
}
END_TEST

START_TEST(test_start_platform_forbids_other_backend)
{
	struct previrt_stats st;

	env.platform = &fatal_be;
	good_cli(&tab[0], 0);
	ck_assert_int_eq(previrt_start("previrt=native", &env, tab, tab + 1, &st), PREVIRT_EPLATFORM);
	ck_assert_int_eq(text[0], 0xfa);
	ck_assert_ptr_null(previrt_current_backend());
	ck_assert_int_eq(previrt_start("", &env, tab, tab + 1, &st), PREVIRT_OK);
	ck_assert_ptr_eq(previrt_current_backend(), &fatal_be);
	ck_assert_int_eq(text[0], 0xe8);
	ck_assert_ptr_nonnull(strstr(msgs, "previrt: fatal-test: 1 sites: 1 patched, 0 kept, 0 refused"));
}
END_TEST

static Suite *sites_suite(void)
{
	Suite *s = suite_create("sites");
	TCase *t = tcase_create("emit");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, test_generic_call_encoding);
	tcase_add_test(t, test_shadow_shapes_validate);
	tcase_add_test(t, test_native_keeps_pad_first);
	tcase_add_test(t, test_generic_long_sled);
	tcase_add_test(t, test_slots_numbered_in_order);
	tcase_add_test(t, test_slots_exhausted);
	tcase_add_test(t, test_native_keeps_instruction_canonical_nops);
	tcase_add_test(t, test_inline_emit);
	tcase_add_test(t, test_emit_helpers);
	suite_add_tcase(s, t);

	t = tcase_create("validate");
	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_loop_test(t, test_corrupt_refused_untouched, 0, NCORRUPTS);
	tcase_add_test(t, test_refusal_shows_bytes);
	tcase_add_test(t, test_out_of_range_not_read);
	tcase_add_test(t, test_wild_pointer_without_bounds);
	tcase_add_test(t, test_overlap_sorted);
	tcase_add_test(t, test_overlap_unsorted_and_duplicate);
	tcase_add_test(t, test_overlap_unsorted_with_memory);
	tcase_add_test(t, test_overlap_sorted_past_empty);
	tcase_add_test(t, test_overlap_unsorted_past_empty);
	tcase_add_loop_test(t, test_overlap_random_agrees, 0, 5);
	tcase_add_test(t, test_overlap_ignores_refused_records);
	tcase_add_test(t, test_prefix_apart_refused);
	tcase_add_test(t, test_prefix_not_read_below_text);
	tcase_add_test(t, test_prefix_byte_of_a_neighbour);
	tcase_add_test(t, test_poke_failure);
	tcase_add_test(t, test_32bit_sled_in_64bit_runtime);
	tcase_add_test(t, test_empty_and_null_tables);
	suite_add_tcase(s, t);

	t = tcase_create("select");
	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, test_select);
	tcase_add_test(t, test_select_errors);
	tcase_add_test(t, test_start_errors_patch_nothing);
	suite_add_tcase(s, t);

	t = tcase_create("policy");
	tcase_add_checked_fixture(t, setup_fatal, NULL);
	tcase_add_loop_test(t, test_fatal_refusal_patches_nothing, 0, NCORRUPTS);
	tcase_add_test(t, test_fatal_backend_refusals_patch_nothing);
	tcase_add_test(t, test_fatal_backend_write_failure);
	tcase_add_test(t, test_fatal_backend_clean_table);
	tcase_add_test(t, test_start_fatal_refusal);
	tcase_add_test(t, test_native_refusal_not_fatal);
	tcase_add_test(t, test_select_platform);
	tcase_add_test(t, test_start_platform_forbids_other_backend);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(sites_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
