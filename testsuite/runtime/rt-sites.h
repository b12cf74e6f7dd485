/* SPDX-License-Identifier: MIT */
/*
 * The sensitive operations of the runtime test programs, one small
 * function each, as a kernel would have them (irqflags, io, msr, ...).
 * The privileged ones fault in user space unless patched; the programs
 * call them only after previrt_boot().
 */
#ifndef RT_SITES_H
#define RT_SITES_H

#include <stdint.h>

struct rt_dtr {
	uint16_t limit;
	unsigned long base;
} __attribute__((packed));

void rt_cli(void);
void rt_sti(void);
unsigned long rt_save_flags(void);
void rt_restore_flags(unsigned long flags);
void rt_hlt(void);
uint8_t inb(uint16_t port);
uint32_t inl(uint16_t port);
void outb(uint8_t v, uint16_t port);
void outb_p(uint8_t v);			/* outb to port 0x80: the io delay */
void outsb(uint16_t port, const void *buf, unsigned long n);
void outsw(uint16_t port, const void *buf, unsigned long n);
uint32_t readl(const volatile void *addr);
void writel(uint32_t v, volatile void *addr);
unsigned long rt_read_cr0(void);
void rt_write_cr0(unsigned long v);
unsigned long rt_read_cr3(void);
void rt_write_cr3(unsigned long v);
void rt_write_cr4(unsigned long v);
void rt_lidt(const struct rt_dtr *d);
void rt_sidt(struct rt_dtr *d);
void rt_lgdt(const struct rt_dtr *d);
void rt_ltr(uint16_t sel);
void rt_wrmsr(uint32_t msr, uint64_t v);
uint64_t rt_rdmsr(uint32_t msr);
void rt_invlpg(const void *addr);
void rt_wbinvd(void);
void rt_stac(void);
void rt_clac(void);
uint64_t rt_rdtsc(void);
void rt_cpuid(uint32_t leaf, uint32_t out[4]);
uint16_t rt_read_cs(void);

/* Every general register and the flags across a dispatched cli: 1 if kept. */
int rt_cli_keeps_registers(void);
int rt_cli_keeps_flags(void);
/* pushf/popf around a local variable: the stack must come back exact. */
int rt_pushf_popf_stack_exact(void);

/* A record that lies (says cli, holds sti): must be refused, never run. */
void rt_lying_record(void);
extern const unsigned char rt_lying_sled[];

#endif
