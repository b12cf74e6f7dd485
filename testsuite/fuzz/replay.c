// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "replay.h"

/* libFuzzer's default -max_len is 4096; a corpus file may be larger. */
#define REPLAY_MAX_INPUT (1 << 20)

static int run_file(const char *path)
{
	static uint8_t buf[REPLAY_MAX_INPUT];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		perror(path);
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		perror(path);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, n);
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static long run_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, by_name), i;
	long runs = 0;

	if (n < 0) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char path[4096];

		if (names[i]->d_name[0] != '.' && runs >= 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			runs = run_file(path) ? -1 : runs + 1;
		}
		free(names[i]);
	}
	free(names);
	return runs;
}

long fuzz_replay_paths(int n, char **paths)
{
	long runs = 0, r;
	struct stat sb;
	int i;

	for (i = 0; i < n; i++) {
		if (stat(paths[i], &sb)) {
			perror(paths[i]);
			return -1;
		}
		r = S_ISDIR(sb.st_mode) ? run_dir(paths[i]) : (run_file(paths[i]) ? -1 : 1);
		if (r < 0)
			return -1;
		runs += r;
	}
	return runs;
}
