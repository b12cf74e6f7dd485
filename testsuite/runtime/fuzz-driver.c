// SPDX-License-Identifier: MIT
/*
 * Runs the runtime's fuzz target without libFuzzer, so that "make check"
 * fuzzes with the compiler the project builds with (under ASan and UBSan).
 *
 *   fuzz-driver PATH...      run each file, or each file of a directory,
 *                            once (the corpus in the tree, a crash to replay)
 *   fuzz-driver              replay the directory FUZZ_CORPUS names, if
 *                            any, then generate inputs for FUZZ_SECONDS
 *                            (default 3)
 *   fuzz-driver --seeds DIR N  write N unmutated seeds into DIR: where
 *                            "make fuzz" starts libFuzzer from
 *
 * Inputs are built from seeds shaped like real tables (sleds of real
 * instructions, records the decoder agrees with: fuzz-input.h) and then
 * mutated byte-wise, plus some purely random ones; the PRNG seed is fixed
 * (FUZZ_SEED to change it) so that a failure reproduces.  Prints TAP.
 * For coverage-guided fuzzing, "make fuzz" builds the same target with
 * clang's libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <previrt/abi.h>
#include <previrt/x86-insn.h>

#include "fuzz-input.h"
#include "replay.h"

extern unsigned long fuzz_inputs_accepted;

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/*
 * Sensitive instructions to build seeds from, at least one of every class
 * the decoder knows and every operation the virtual CPU runs; their class
 * and length come from the runtime's own decoder, so that a seed's
 * records agree with the sleds they describe.
 */
static const struct { const char *bytes; unsigned char len; } insns[] = {
	{ "\xfa", 1 }, { "\xfb", 1 }, { "\x9c", 1 }, { "\x9d", 1 }, { "\x66\x9c", 2 },
	{ "\x66\x9d", 2 }, { "\xf4", 1 }, { "\xee", 1 }, { "\xec", 1 }, { "\xe6\x80", 2 },
	{ "\xe5\x71", 2 }, { "\x66\xef", 2 }, { "\x6c", 1 }, { "\xf3\x6c", 2 }, { "\x6e", 1 },
	{ "\xf3\x66\x6f", 3 }, { "\x64\x6e", 2 }, { "\x0f\x20\xd8", 3 }, { "\x0f\x22\xdf", 3 },
	{ "\x0f\x20\xe0", 3 }, { "\x44\x0f\x20\xc0", 4 }, { "\x0f\x22\xc0", 3 },
	{ "\x0f\x21\xf8", 3 }, { "\x0f\x23\xf8", 3 }, { "\x0f\x01\xe0", 3 }, { "\x0f\x01\x27", 3 },
	{ "\x0f\x01\xf0", 3 }, { "\x0f\x06", 2 }, { "\x0f\x01\x15\x10\x00\x00\x00", 7 },
	{ "\x0f\x01\x1f", 3 }, { "\x0f\x01\x07", 3 }, { "\x0f\x01\x0d\x20\x00\x00\x00", 7 },
	{ "\x0f\x00\xd0", 3 }, { "\x0f\x00\xd8", 3 }, { "\x0f\x00\xc0", 3 }, { "\x0f\x00\x0f", 3 },
	{ "\x8c\xd8", 2 }, { "\x8c\x1f", 2 }, { "\x0f\xa0", 2 }, { "\x0f\xa8", 2 }, { "\x1e", 1 },
	{ "\x8e\xd8", 2 }, { "\x0f\xa1", 2 }, { "\xcb", 1 }, { "\xff\x2f", 2 }, { "\x0f\x02\xc0", 3 },
	{ "\x0f\x00\xe0", 3 }, { "\x0f\x01\x38", 3 }, { "\x66\x0f\x38\x82\x07", 5 },
	{ "\x0f\x01\xdf", 3 }, { "\x0f\x09", 2 }, { "\x0f\x08", 2 }, { "\xf3\x0f\x09", 3 },
	{ "\x0f\x30", 2 }, { "\x0f\x32", 2 }, { "\x0f\x33", 2 }, { "\x0f\x31", 2 },
	{ "\x0f\x01\xf9", 3 }, { "\x0f\xa2", 2 }, { "\xcf", 1 }, { "\x48\xcf", 2 },
	{ "\x48\x0f\x07", 3 }, { "\x0f\x01\xf8", 3 }, { "\xf3\x48\x0f\xae\xc0", 5 },
	{ "\x0f\x01\xd1", 3 }, { "\x0f\xc7\x2f", 3 }, { "\x0f\x01\xc8", 3 }, { "\x0f\x01\xc9", 3 },
	{ "\x0f\x01\xcb", 3 }, { "\x0f\x01\xca", 3 }, { "\x0f\x01\xc1", 3 }, { "\x0f\x01\xd9", 3 },
	{ "\x8b\x07", 2 }, { "\x89\x07", 2 }, { "\x88\x27", 2 }, { "\x0f\xb6\x07", 3 },
	{ "\x0f\xbf\x0f", 3 }, { "\xc7\x07\xfe\xff\xff\xff", 6 }, { "\x65\x48\x8b\x14\x25\x08\x00\x00\x00", 9 },
	{ "\x48\x8b\x05\x30\x00\x00\x00", 7 }, { "\x66\x89\x5f\x04", 4 },
};

static const uint8_t nops[8][8] = {
	{ 0 }, { 0x90 }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 }, { 0x0f, 0x1f, 0x40, 0x00 },
	{ 0x0f, 0x1f, 0x44, 0x00, 0x00 }, { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
};

/* A record of the class the decoder gives the bytes (MMIO for a device move). */
static int seed_record(unsigned int m, uint8_t *rec)
{
	struct pv_x86_insn d;
	unsigned int len = insns[m].len;
	int klass, flags = 0;

	if (pv_x86_decode((const uint8_t *)insns[m].bytes, len, 64, &d) != (int)len)
		return -1;
	klass = d.klass;
	if (d.op == PV_OP_MOV_LOAD || d.op == PV_OP_MOV_STORE) {
		klass = PREVIRT_CLASS_MMIO;
		flags = PREVIRT_F_DEVICE;
	} else if (klass == PREVIRT_CLASS_PIO && (next() & 1)) {
		flags = PREVIRT_F_DEVICE;
	}
	if (!klass)
		return -1;
	memset(rec, 0, 12);
	rec[4] = PREVIRT_ABI_VERSION;
	rec[5] = PREVIRT_ARCH_X86_64;
	rec[6] = (uint8_t)klass;
	rec[7] = (uint8_t)flags;
	rec[8] = (uint8_t)(len > 8 ? len : 8);
	rec[9] = (uint8_t)len;
	return 0;
}

/* Register bytes: mostly pointers into the data, some of the constants. */
static uint8_t seed_reg(void)
{
	return next() % 3 ? (uint8_t)(0x38 + next() % 16) : (uint8_t)(0x80 + next() % 29);
}

static size_t seed_input(uint8_t *buf)
{
	unsigned int n = 1 + next() % 20, i, k;
	size_t pos = FUZZ_HEADER + FUZZ_TEXT;
	unsigned int used[FUZZ_TEXT / 16] = { 0 };

	buf[0] = (uint8_t)(next() & ~FUZZ_MODE_SORTED);
	for (i = 0; i < FUZZ_REGS; i++)
		buf[FUZZ_OFF_REGS + i] = seed_reg();
	buf[FUZZ_OFF_FLAGS] = (uint8_t)next();
	buf[FUZZ_OFF_PORT] = (uint8_t)next();
	buf[19] = next() % 4 ? 0 : (uint8_t)next();
	buf[20] = 0;
	memset(buf + FUZZ_HEADER, 0xcc, FUZZ_TEXT);
	if (next() % 4 == 0)
		buf[0] |= FUZZ_MODE_SORTED;
	for (i = k = 0; i < n; i++) {
		unsigned int m = next() % (sizeof(insns) / sizeof(insns[0]));
		unsigned int slot = buf[0] & FUZZ_MODE_SORTED ? k++ : next() % (FUZZ_TEXT / 16);
		unsigned int at = slot * 16, len = insns[m].len, sled = len > 8 ? len : 8;
		uint8_t rec[12];
		int32_t rel = (int32_t)at;

		if (slot >= FUZZ_TEXT / 16 || used[slot] || seed_record(m, rec))
			continue;
		used[slot] = 1;
		memcpy(buf + FUZZ_HEADER + at, insns[m].bytes, len);
		memcpy(buf + FUZZ_HEADER + at + len, nops[sled - len], sled - len);
		memcpy(rec, &rel, 4);
		memcpy(buf + pos, rec, 12);
		pos += 12;
	}
	return pos;
}

static void mutate(uint8_t *buf, size_t n)
{
	unsigned int k = next() % 6, i;

	for (i = 0; i < k; i++) {
		size_t at = next() % n;
		switch (next() % 4) {
		case 0: buf[at] = (uint8_t)next(); break;
		case 1: buf[at] ^= (uint8_t)(1u << (next() % 8)); break;
		case 2: buf[at] = 0x90; break;
		default: buf[at]++; break;
		}
	}
}

static int write_seeds(const char *dir, unsigned long n)
{
	static uint8_t buf[FUZZ_HEADER + FUZZ_TEXT + 12 * FUZZ_MAXREC];
	unsigned long i;

	for (i = 0; i < n; i++) {
		char path[4096];
		size_t len = seed_input(buf);
		FILE *f;

		snprintf(path, sizeof(path), "%s/seed-%04lu", dir, i);
		f = fopen(path, "wb");
		if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
			perror(path);
			return 1;
		}
	}
	return 0;
}

/* Tests 1 and 2 (and the plan, when alone) for a replay of paths. */
static int replay(int n, char **paths, int alone)
{
	long runs = fuzz_replay_paths(n, paths);
	/* a corpus that never gets past validation tests little */
	int ok = runs > 0 && fuzz_inputs_accepted * 4 > (unsigned long)runs;

	if (runs <= 0) {
		printf("not ok 1 - no corpus input could be run\n1..1\n");
		return 1;
	}
	printf("ok 1 - %ld corpus inputs, no invariant broken\n", runs);
	printf("%s 2 - %lu of them had sites that passed validation\n%s", ok ? "ok" : "not ok",
	       fuzz_inputs_accepted, alone ? "1..2\n" : "");
	return !ok;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1024];
	const char *s = getenv("FUZZ_SECONDS"), *sd = getenv("FUZZ_SEED");
	char *corpus = getenv("FUZZ_CORPUS");
	double seconds = s ? atof(s) : 3.0;
	unsigned long runs = 0;
	time_t start = time(NULL);
	int i, tap = 1;

	if (sd)
		rng ^= strtoull(sd, NULL, 0);
	if (argc == 4 && !strcmp(argv[1], "--seeds"))
		return write_seeds(argv[2], strtoul(argv[3], NULL, 0));
	if (argc > 1)
		return replay(argc - 1, argv + 1, 1) ? 1 : 0;
	if (corpus) {
		if (replay(1, &corpus, 0))
			return 1;
		fuzz_inputs_accepted = 0;
		tap = 3;
	}
	do {
		for (i = 0; i < 1000; i++, runs++) {
			size_t n;

			if (next() % 8 == 0) {
				n = 1 + next() % sizeof(buf);
				for (size_t k = 0; k < n; k++)
					buf[k] = (uint8_t)next();
			} else {
				n = seed_input(buf);
				mutate(buf, n);
			}
			LLVMFuzzerTestOneInput(buf, n);
		}
	} while (difftime(time(NULL), start) < seconds);
	printf("ok %d - %lu generated inputs in %.0f s, no invariant broken\n", tap, runs,
	       difftime(time(NULL), start));
	/* most seeds survive a few mutations: if none did, the generator is broken */
	printf("%s %d - %lu inputs had sites that passed validation\n1..%d\n",
	       fuzz_inputs_accepted > runs / 10 ? "ok" : "not ok", tap + 1, fuzz_inputs_accepted,
	       tap + 1);
	return fuzz_inputs_accepted > runs / 10 ? 0 : 1;
}
