// SPDX-License-Identifier: MIT
/*
 * The backends compiled into this build, in detection order: the first
 * whose detect() recognises the platform is used when the command line
 * names none.  Native comes last because it recognises everything.
 */
#include "internal.h"

extern const struct previrt_backend previrt_backend_native;
extern const struct previrt_backend previrt_backend_native_relocate;

const struct previrt_backend *const previrt_builtin_backends[] = {
	&previrt_backend_native,
	&previrt_backend_native_relocate,
	0
};
