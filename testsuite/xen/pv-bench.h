/* SPDX-License-Identifier: MIT */
/*
 * pv-bench and l4-bench: each operation twice, as loops of n iterations
 * (pv-bench-ops.c, compiled with the plugin for pv_* and without it for
 * raw_*), and the harness that times them (pv-bench-harness.c).
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
/* Cycles per iteration of loop(n), best of three runs. */
unsigned long bench_per_op(void (*loop)(unsigned long), unsigned long n);
/*
 * Time pv and raw with n iterations each and print, through puts, one row:
 * "bench: NAME previrt CYCLES trap CYCLES ratio R.RR NOTE".
 */
void bench_row(void (*puts)(const char *), const char *name, void (*pv)(unsigned long),
	       void (*raw)(unsigned long), unsigned long n, const char *note);

#endif
