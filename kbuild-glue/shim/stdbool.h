/* See stddef.h in this directory. */
#ifndef PREVIRT_SHIM_STDBOOL_H
#define PREVIRT_SHIM_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#endif
