// SPDX-License-Identifier: MIT
/*
 * fuzz-replay PATH...: run a fuzz target once on every corpus file (or
 * every file of a corpus directory), printing TAP.  Without PATH, the
 * directory FUZZ_CORPUS names (how "make check" runs it).  An empty corpus is a
 * failure: a replay of nothing would pass without testing anything.
 */
#include <stdio.h>
#include <stdlib.h>

#include "replay.h"

int main(int argc, char **argv)
{
	char *corpus = getenv("FUZZ_CORPUS");
	long runs = argc > 1 ? fuzz_replay_paths(argc - 1, argv + 1) :
		    corpus ? fuzz_replay_paths(1, &corpus) : -1;

	if (runs < 0) {
		printf("not ok 1 - corpus unreadable\n1..1\n");
		return 1;
	}
	/* a broken invariant has aborted before this line */
	printf("%s 1 - %ld corpus inputs, no invariant broken\n1..1\n", runs ? "ok" : "not ok",
	       runs);
	return runs ? 0 : 1;
}
