/* SPDX-License-Identifier: MIT */
/*
 * The machine word of the L4 X.2 ia32 ABI, and the few global constants
 * every other file of the backend needs. Everything the L4 kernel reads or
 * writes is a 32-bit word on ia32; the pure encoders use l4_word_t rather
 * than unsigned long so that the same code runs in the 32-bit guest and in
 * the 64-bit unit tests with identical results.
 *
 * Written from the L4 X.2 reference manual's definitions (word layouts of
 * fpages, thread ids, message tags, map items, time values, the KIP).
 */
#ifndef PREVIRT_L4_WORD_H
#define PREVIRT_L4_WORD_H

#include <stdint.h>

typedef uint32_t l4_word_t;

#define L4_WORD_BITS	32

/* Thread ids: global = thread number (bits 14..31) and version (0..13). */
#define L4_NILTHREAD	((l4_word_t)0)
#define L4_ANYTHREAD	((l4_word_t)~0u)

static inline l4_word_t l4_global_id(l4_word_t thread_no, l4_word_t version)
{
	return (thread_no << 14) | (version & 0x3fffu);
}

static inline l4_word_t l4_thread_no(l4_word_t tid) { return tid >> 14; }
static inline l4_word_t l4_thread_version(l4_word_t tid) { return tid & 0x3fffu; }

#endif
