/* SPDX-License-Identifier: MIT */
/*
 * Replaying a corpus through a fuzz target without libFuzzer: what "make
 * check" does with the corpus kept in the tree, under ASan and UBSan, and
 * what the coverage build runs.
 */
#ifndef FUZZ_REPLAY_H
#define FUZZ_REPLAY_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Run every file named in paths (a directory: every file in it, sorted by
 * name so that a run is reproducible) once.  Returns the number of inputs
 * run, or -1 after printing why a path could not be read.
 */
long fuzz_replay_paths(int n, char **paths);

#endif
