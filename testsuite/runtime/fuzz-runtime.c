// SPDX-License-Identifier: MIT
/*
 * Fuzz target for record validation, the patcher and the decoder
 * (libFuzzer's entry point; fuzz-driver.c runs it without libFuzzer).
 *
 * An input is a small "text" of 256 bytes and up to 32 records.  Record
 * offsets either point into the text (most of the time, so that real
 * validation happens) or are taken raw (so that wild pointers are met);
 * the environment bounds the text to the buffer, so no record can make
 * the runtime read or write outside it, which ASan checks.  Invariants
 * that must hold for every input, else abort():
 *   - every record is counted once: kept + patched + refused == sites;
 *   - bytes outside every record's claimed sled never change;
 *   - patching the same table again patches nothing new with the generic
 *     backend (a patched sled is no longer pristine) and changes nothing
 *     with the native one (idempotent);
 *   - the decoder never claims more bytes than it was given or than 15,
 *     gives the same answer with exactly its length, and reports
 *     truncation with one byte fewer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <previrt/backend.h>
#include "internal.h"

#define TEXT 256
#define MAXREC 32

extern const struct previrt_backend previrt_backend_native;

static unsigned char text[TEXT + 16] __attribute__((aligned(16)));
static struct previrt_site tab[MAXREC];

static int null_handle(struct previrt_regs *r, const struct pv_x86_insn *i,
		       const struct previrt_site *s)
{
	(void)r; (void)i; (void)s;
	return 0;
}

static struct previrt_backend generic = { .name = "fuzz-generic", .handle = null_handle };

static void quiet(const char *s, unsigned long n, void *ctx)
{
	(void)s; (void)n; (void)ctx;
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

static void check_counts(const struct previrt_stats *st, unsigned int n)
{
	if (st->sites != n || st->kept + st->patched + st->refused != n)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs in which some site passed validation: a fuzzer that never gets
 * past the checks tests little, and the driver says how often it did. */
unsigned long fuzz_inputs_accepted;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char before[TEXT + 16], claimed[TEXT + 16];
	const struct previrt_backend *b;
	struct previrt_env env = { .write = quiet };
	struct previrt_stats st, st2;
	unsigned int n, i, mode;
	size_t k;

	if (size < 1)
		return 0;
	mode = data[0];
	for (k = 1; k < size && k < 64; k++) {
		check_decoder(data + k, size - k, 64);
		check_decoder(data + k, size - k, 32);
	}
	data++;
	size--;

	memset(text, 0xcc, sizeof(text));
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
	if (mode & 1) {
		env.alloc = lend;
		env.release = give_back;
	}
	b = (mode & 2) ? &generic : &previrt_backend_native;
	for (i = 1; i < PREVIRT_CLASS_COUNT; i++)
		generic.fill[i] = (unsigned char)((mode >> 2) & 1 ? PREVIRT_FILL_GENERIC
					: (i % 3 ? PREVIRT_FILL_GENERIC : PREVIRT_FILL_KEEP));

	/* which bytes some record claims, by its own word (clipped to the text) */
	memset(claimed, 0, sizeof(claimed));
	for (i = 0; i < n; i++) {
		unsigned long at = (unsigned long)previrt_site_sled(&tab[i]);
		unsigned int j;

		for (j = 0; j < tab[i].sled_len; j++)
			if (at + j >= env.text_lo && at + j < env.text_hi)
				claimed[at + j - env.text_lo] = 1;
	}
	memcpy(before, text, sizeof(text));

	pv_dispatch_forget_all();
	memset(&st, 0, sizeof(st));
	previrt_patch_range(tab, tab + n, b, &env, &st);
	check_counts(&st, n);
	if (st.kept + st.patched)
		fuzz_inputs_accepted++;
	for (k = 0; k < sizeof(text); k++)
		if (!claimed[k] && text[k] != before[k])
			abort();

	memcpy(before, text, sizeof(text));
	memset(&st2, 0, sizeof(st2));
	previrt_patch_range(tab, tab + n, b, &env, &st2);
	check_counts(&st2, n);
	if (b == &previrt_backend_native) {
		if (memcmp(before, text, sizeof(text)) || st2.kept != st.kept)
			abort();
	} else if (st2.patched != 0) {
		abort();
	}
	return 0;
}
