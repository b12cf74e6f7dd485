/* SPDX-License-Identifier: MIT */
/*
 * Formatted output to the console. A small subset of printf: %d %i %u %x %p
 * %s %c %%, length modifiers l ll z, a '0' flag and a field width.
 */
#ifndef GUEST_PRINT_H
#define GUEST_PRINT_H

#include <stdarg.h>

void kvprintf(const char *fmt, va_list ap);
__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);

#endif
