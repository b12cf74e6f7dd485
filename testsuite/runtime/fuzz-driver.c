// SPDX-License-Identifier: MIT
/*
 * Runs the fuzz target without libFuzzer, so that "make check" fuzzes with
 * the compiler the project builds with (under ASan and UBSan).
 *
 *   fuzz-driver FILE...      run each file once (a corpus, a crash to replay)
 *   fuzz-driver              generate inputs for FUZZ_SECONDS (default 3)
 *
 * Inputs are built from seeds shaped like real tables (sleds of real
 * instructions, plausible records) and then mutated byte-wise, plus some
 * purely random ones; the PRNG seed is fixed (FUZZ_SEED to change it) so
 * that a failure reproduces.  Prints TAP.  For coverage-guided fuzzing,
 * "make fuzz" builds the same target with clang's libFuzzer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern unsigned long fuzz_inputs_accepted;

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* sensitive instructions and paddings to build seeds from */
static const char *const insns[] = {
	"\xfa", "\xfb", "\x9c", "\x9d", "\xf4", "\xee", "\xe6\x80", "\x0f\x20\xd8",
	"\x0f\x22\xdf", "\x0f\x30", "\x0f\x32", "\x0f\x01\x38", "\x0f\x31", "\x0f\xa2",
	"\x0f\x01\xcb", "\x8b\x07", "\x0f\x01\xf8", "\x66\x0f\x38\x82\x07", "\xcf",
	"\x48\xcf", "\x0f\x01\x15\x10\x00\x00\x00",
};
static const uint8_t lens[] = { 1, 1, 1, 1, 1, 1, 2, 3, 3, 2, 2, 3, 2, 2, 3, 2, 3, 5, 1, 2, 7 };
static const uint8_t klass[] = { 1, 2, 3, 4, 5, 6, 6, 8, 8, 18, 18, 16, 20, 21, 28, 7, 23, 16,
				 22, 22, 10 };

static size_t seed_input(uint8_t *buf)
{
	static const uint8_t nops[8][8] = {
		{ 0 }, { 0x90 }, { 0x66, 0x90 }, { 0x0f, 0x1f, 0x00 }, { 0x0f, 0x1f, 0x40, 0x00 },
		{ 0x0f, 0x1f, 0x44, 0x00, 0x00 }, { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
		{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	};
	unsigned int n = 1 + next() % 20, i;
	size_t pos = 1 + 256;

	buf[0] = (uint8_t)next();
	memset(buf + 1, 0xcc, 256);
	for (i = 0; i < n; i++) {
		unsigned int m = next() % (sizeof(lens) / sizeof(lens[0]));
		unsigned int at = (next() % 31) * 8, sled = lens[m] > 8 ? lens[m] : 8;
		uint8_t rec[12] = { 0 };
		int32_t rel = (int32_t)at;

		memcpy(buf + 1 + at, insns[m], lens[m]);
		memcpy(buf + 1 + at + lens[m], nops[sled - lens[m]], sled - lens[m]);
		memcpy(rec, &rel, 4);
		rec[4] = 1;
		rec[5] = (next() & 7) ? 2 : 1;
		rec[6] = klass[m];
		rec[7] = klass[m] == 7 || klass[m] == 6 ? 1 : 0;
		rec[8] = (uint8_t)sled;
		rec[9] = lens[m];
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

static int run_file(const char *path)
{
	static uint8_t buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return 1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[1024];
	const char *s = getenv("FUZZ_SECONDS"), *sd = getenv("FUZZ_SEED");
	double seconds = s ? atof(s) : 3.0;
	unsigned long runs = 0;
	time_t start = time(NULL);
	int i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (run_file(argv[i]))
				return 1;
		printf("ok 1 - %d input files, no invariant broken\n1..1\n", argc - 1);
		return 0;
	}
	if (sd)
		rng ^= strtoull(sd, NULL, 0);
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
	printf("ok 1 - %lu generated inputs in %.0f s, no invariant broken\n", runs,
	       difftime(time(NULL), start));
	/* most seeds survive a few mutations: if none did, the generator is broken */
	printf("%s 2 - %lu inputs had sites that passed validation\n1..2\n",
	       fuzz_inputs_accepted > runs / 10 ? "ok" : "not ok", fuzz_inputs_accepted);
	return fuzz_inputs_accepted > runs / 10 ? 0 : 1;
}
