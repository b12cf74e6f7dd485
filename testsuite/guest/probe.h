/* SPDX-License-Identifier: MIT */
/*
 * Probes: one instruction that may fault, run with the trap catcher armed.
 * Each probe reports what the handler recorded, plus the address of the
 * instruction and of the point after it (its sled included), so that a case
 * can check that a fault reports the faulting instruction and a trap the
 * next one.
 */
#ifndef GUEST_PROBE_H
#define GUEST_PROBE_H

#include <stdint.h>
#include "trap.h"

struct probe {
	struct trap_record rec;	/* rec.taken == 0: no exception happened */
	uint64_t insn;		/* address of the probed instruction */
	uint64_t next;		/* where execution resumes after it */
};

/* One native word: all of *p on x86-64, its low half in the i386 build. */
uint64_t probe_load(const volatile uint64_t *p, struct probe *out);
void probe_store(volatile uint64_t *p, uint64_t v, struct probe *out);
void probe_int3(struct probe *out);
void probe_ud2(struct probe *out);
void probe_divide(uint32_t divisor, struct probe *out);
void probe_load_ds(uint16_t sel, struct probe *out);
#ifdef __x86_64__
void probe_rdfsbase(struct probe *out);
#else
/* mov to %ss (the i386 case for a #GP(0): the null selector). */
void probe_load_ss(uint16_t sel, struct probe *out);
#endif
void probe_xsetbv(uint32_t xcr, uint64_t v, struct probe *out);

#endif
