/* SPDX-License-Identifier: MIT */
/*
 * Device accessors: port I/O and MMIO. They are out-of-line functions with
 * the names the previrt plugin knows as device accessors (inb/outb, readl/
 * writel), so that every access the guest makes to a device is one tagged
 * device site that a backend can route to a device model.
 */
#ifndef GUEST_IO_H
#define GUEST_IO_H

#include <stdint.h>

uint8_t inb(uint16_t port);
void outb(uint8_t value, uint16_t port);	/* Linux's argument order */
uint32_t inl(uint16_t port);
void outl(uint32_t value, uint16_t port);
void insb(uint16_t port, void *buf, unsigned long count);	/* rep insb */
void outsb(uint16_t port, const void *buf, unsigned long count);	/* rep outsb */
uint32_t readl(const volatile void *addr);
void writel(uint32_t value, volatile void *addr);

#endif
