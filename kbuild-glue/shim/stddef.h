/*
 * Freestanding stand-ins for the compiler's headers: Kbuild compiles with
 * -nostdinc, and libprevirt's portable sources include <stddef.h>,
 * <stdint.h>, <stdarg.h>. These define the same types from GCC's
 * predefined macros, so that they agree with the kernel's own typedefs.
 */
#ifndef PREVIRT_SHIM_STDDEF_H
#define PREVIRT_SHIM_STDDEF_H
typedef __SIZE_TYPE__ size_t;
typedef __PTRDIFF_TYPE__ ptrdiff_t;
#ifndef NULL
#define NULL ((void *)0)
#endif
#ifndef offsetof
#define offsetof(t, m) __builtin_offsetof(t, m)
#endif
#endif
