/* SPDX-License-Identifier: MIT */
/*
 * Which instructions of a device accessor are device accesses: what the
 * runtime can route to a device model as an MMIO site.
 */
#ifndef PREVIRT_DEVICE_ACCESS_H
#define PREVIRT_DEVICE_ACCESS_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Is the AT&T text a move that libprevirt decodes as an MMIO load or store
 * (mov, movabs, movzx/movsx in every suffix spelling)? Only those may be
 * recorded as class mmio: the runtime refuses any other instruction in an
 * mmio record. The caller knows that the text has a memory operand.
 */
int pv_is_device_move(const char *stmt);

#ifdef __cplusplus
}
#endif
#endif
