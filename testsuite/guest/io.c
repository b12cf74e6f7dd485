/* SPDX-License-Identifier: MIT */
/* The guest's device accessors (see io.h for why they are out of line). */
#include "io.h"

__attribute__((noinline)) uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

__attribute__((noinline)) void outb(uint8_t value, uint16_t port)
{
	__asm__ volatile("outb %0, %1" :: "a"(value), "Nd"(port) : "memory");
}

__attribute__((noinline)) uint32_t inl(uint16_t port)
{
	uint32_t v;
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

__attribute__((noinline)) void outl(uint32_t value, uint16_t port)
{
	__asm__ volatile("outl %0, %1" :: "a"(value), "Nd"(port) : "memory");
}

__attribute__((noinline)) void insb(uint16_t port, void *buf, unsigned long count)
{
	__asm__ volatile("rep insb" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}

__attribute__((noinline)) void outsb(uint16_t port, const void *buf, unsigned long count)
{
	__asm__ volatile("rep outsb" : "+S"(buf), "+c"(count) : "d"(port) : "memory");
}

/* One 32-bit load or store with a memory operand: the shape of an MMIO site. */
__attribute__((noinline)) uint32_t readl(const volatile void *addr)
{
	uint32_t v;
	__asm__ volatile("movl %1, %0" : "=r"(v) : "m"(*(const volatile uint32_t *)addr) : "memory");
	return v;
}

__attribute__((noinline)) void writel(uint32_t value, volatile void *addr)
{
	__asm__ volatile("movl %1, %0" : "=m"(*(volatile uint32_t *)addr) : "r"(value) : "memory");
}
