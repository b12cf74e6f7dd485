/* SPDX-License-Identifier: MIT */
/*
 * pv-bench: each operation twice, as loops of n iterations.  The pv_*
 * loops are compiled with the previrt plugin, so the Xen backend patched
 * their sleds at boot (the pre-virtualized path); the raw_* loops are
 * compiled without it and run the bare instruction, which traps into Xen
 * (or into the VMM) to be emulated there (the trap-and-emulate path).
 */
#ifndef PV_BENCH_H
#define PV_BENCH_H

void pv_cli_sti(unsigned long n);
void pv_pushf_popf(unsigned long n);
void pv_port_out(unsigned long n);
void pv_cr3_write(unsigned long n);

void raw_cli_sti(unsigned long n);
void raw_pushf_popf(unsigned long n);
void raw_port_out(unsigned long n);
void raw_cr3_write(unsigned long n);

unsigned long bench_tsc(void);
unsigned long bench_per_op(void (*loop)(unsigned long), unsigned long n);

#endif
