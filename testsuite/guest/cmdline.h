/* SPDX-License-Identifier: MIT */
/* The kernel command line: space-separated key=value words. */
#ifndef GUEST_CMDLINE_H
#define GUEST_CMDLINE_H

/* Whether the command line holds the word "key=value". */
int cmdline_has(const char *cmdline, const char *key, const char *value);

#endif
