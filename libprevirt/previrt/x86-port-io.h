/* SPDX-License-Identifier: MIT */
/*
 * Real port I/O of 1, 2 or 4 bytes, for the VMM parts that pass a guest's
 * port access through to the hardware (Xen's device models, the L4
 * monitor's): the one place that spells the sized in/out instructions.
 */
#ifndef PREVIRT_X86_PORT_IO_H
#define PREVIRT_X86_PORT_IO_H

#include <stdint.h>

static inline uint32_t previrt_port_read(unsigned int port, unsigned int size)
{
	uint16_t p = (uint16_t)port;
	uint32_t v;

	if (size == 1) {
		uint8_t b;

		__asm__ volatile("inb %1, %0" : "=a"(b) : "Nd"(p));
		v = b;
	} else if (size == 2) {
		uint16_t w;

		__asm__ volatile("inw %1, %0" : "=a"(w) : "Nd"(p));
		v = w;
	} else {
		__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(p));
	}
	return v;
}

static inline void previrt_port_write(unsigned int port, unsigned int size, uint32_t v)
{
	uint16_t p = (uint16_t)port;

	if (size == 1)
		__asm__ volatile("outb %0, %1" : : "a"((uint8_t)v), "Nd"(p));
	else if (size == 2)
		__asm__ volatile("outw %0, %1" : : "a"((uint16_t)v), "Nd"(p));
	else
		__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(p));
}

#endif
