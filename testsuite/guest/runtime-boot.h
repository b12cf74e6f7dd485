/* SPDX-License-Identifier: MIT */
/* Starting libprevirt on this image (see runtime-boot.c). */
#ifndef GUEST_RUNTIME_BOOT_H
#define GUEST_RUNTIME_BOOT_H

void runtime_boot(const char *cmdline);

#endif
