/* SPDX-License-Identifier: MIT */
/*
 * l4-bench: each operation on its pre-virtualized path (l4-bench-previrt.c,
 * compiled with the plugin) and on its trap-and-emulate path
 * (l4-bench-raw.S, plain instructions), looped n times.
 */
#ifndef L4_BENCH_H
#define L4_BENCH_H

void pv_cli_sti(unsigned long n);
void pv_pushf_popf(unsigned long n);
void pv_port_out(unsigned long n);
void pv_cr3_write(unsigned long n);

/* The guest's CR3, for raw_cr3_write (which cannot read it: that faults too). */
extern unsigned long bench_cr3;
unsigned long pv_read_cr3(void);

void raw_cli_sti(unsigned long n);
void raw_pushf_popf(unsigned long n);
void raw_port_out(unsigned long n);
void raw_cr3_write(unsigned long n);

#endif
