// SPDX-License-Identifier: MIT
/* previrt-audit's main(), under the name the fuzz target calls it by. */
#define main pv_audit_main
int pv_audit_main(int argc, char **argv);
#include "main.c"
