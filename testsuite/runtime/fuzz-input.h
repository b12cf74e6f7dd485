/* SPDX-License-Identifier: MIT */
/*
 * The layout of one input of the runtime's fuzz target, shared by the
 * target (fuzz-runtime.c) and the seed generator (fuzz-driver.c):
 *
 *   [0]                 mode, FUZZ_MODE_* below
 *   [1 .. 17)           one byte per general register (0 = ax ... 15 = r15)
 *   [17]                host flags for the dispatched sites (DF, CF...)
 *   [18]                what port reads return
 *   [19 .. 21)          spare, kept for later fields
 *   [21 .. 21+TEXT)     the text the records point into
 *   [21+TEXT ..)        records, 12 bytes each, at most FUZZ_MAXREC
 *
 * A table of records plus a text buffer, so that a mutation of one byte
 * mostly leaves the other records valid and the fuzzer keeps reaching the
 * patcher, the emitters and the dispatcher.  Register bytes below 0x80
 * make a pointer into the data the virtual CPU may touch (so memory
 * operands land somewhere harmless); from 0x80 on, they pick a constant
 * the model branches on (MSR numbers, ports, counts).
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#define FUZZ_TEXT	256
#define FUZZ_MAXREC	32
#define FUZZ_REGS	16
#define FUZZ_HEADER	21	/* mode, registers, flags, port value, spare */
#define FUZZ_OFF_REGS	1
#define FUZZ_OFF_FLAGS	17
#define FUZZ_OFF_PORT	18

/* mode bits */
#define FUZZ_MODE_LEND		0x01	/* lend memory: the unsorted-table path of overlap.c */
#define FUZZ_MODE_BACKEND	0x06	/* which backend, FUZZ_BACKEND_* << 1 */
#define FUZZ_MODE_HOOKS		0x08	/* the virtual CPU gets device hooks, else plain memory */
#define FUZZ_MODE_SORTED	0x10	/* seeds: records in address order */
#define FUZZ_MODE_FATAL		0x20	/* refusals are fatal (a hypervisor backend's rule) */

#define FUZZ_BACKEND_NATIVE	0	/* keep, canonical NOPs */
#define FUZZ_BACKEND_GENERIC	1	/* every class to the dispatcher, which is then run */
#define FUZZ_BACKEND_MIXED	2	/* one class in three kept, the rest dispatched */
#define FUZZ_BACKEND_INLINE	3	/* inline sequences made with emit.c's helpers */

#endif
