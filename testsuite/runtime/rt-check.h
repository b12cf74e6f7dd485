/* SPDX-License-Identifier: MIT */
/*
 * TAP output for the runtime test programs: one "ok"/"not ok" line per
 * check, a plan at the end, exit status 1 if any check failed.
 */
#ifndef RT_CHECK_H
#define RT_CHECK_H

#include <stdio.h>

static int rt_checks, rt_failed;

/* cond is evaluated once: checks often call the code under test */
#define CHECK(cond, ...) do {						\
	int rt_ok_ = !!(cond);						\
	rt_checks++;							\
	if (rt_ok_) {							\
		printf("ok %d - ", rt_checks);				\
	} else {							\
		rt_failed++;						\
		printf("not ok %d - ", rt_checks);			\
	}								\
	printf(__VA_ARGS__);						\
	printf("%s\n", rt_ok_ ? "" : "   [failed: " #cond "]");	\
} while (0)

static inline int rt_done(void)
{
	printf("1..%d\n", rt_checks);
	return rt_failed ? 1 : 0;
}

#endif
