/* SPDX-License-Identifier: MIT */
/*
 * The kernel interface page (KIP) of an X.2 kernel, 32-bit layout: what
 * the backend and the monitor read from it. The KIP is mapped read-only
 * into every address space; the backend finds it with the KernelInterface
 * system call and never trusts it blindly: l4_kip_parse() checks the magic,
 * the API version and word size, and that every offset it follows stays
 * inside the page.
 *
 * Word offsets used (bytes from the KIP base):
 *   0x00 magic "L4\xe6K"   0x04 API version (version bits 24..31)
 *   0x08 API flags (ww bits 2..3: 0 = 32-bit words)  0x0c kernel descriptor offset
 *   0x54 memory info: number of descriptors (bits 0..15), their offset (16..31)
 *   0xa8 UTCB area info (log2 size of the smallest area bits 16..21, log2
 *   alignment 10..15, size multiplier 0..9)  0xac KIP area info (log2 size
 *   bits 0..5)  0xb8 boot info (physical address of the boot loader's record)
 *   0xc0 clock info  0xc4 thread info (user base bits 20..31, system base 8..19,
 *   valid thread-number bits 0..7)  0xc8 page info (page size mask bits 10..31,
 *   rights bits 0..2)  0xcc processor info (processors - 1 in bits 0..15)
 *   0xd0.. system-call entry offsets: SpaceControl, ThreadControl,
 *   ProcessorControl, MemoryControl, Ipc, Lipc, Unmap, ExchangeRegisters,
 *   SystemClock, ThreadSwitch, Schedule.
 * Memory descriptors are two words: type bits 0..3 (subtype 4..7), virtual
 * flag bit 9, low/1024 in bits 10..31; then high/1024 in bits 10..31 (the
 * region ends at high + 1023).
 */
#ifndef PREVIRT_L4_KIP_H
#define PREVIRT_L4_KIP_H

#include "l4-word.h"

#define L4_KIP_MAGIC		0x4be6344cu	/* 'L' '4' 0xe6 'K' in memory order */
#define L4_KIP_SIZE		4096u
#define L4_API_VERSION_X2	0x84u

#define L4_KIP_OFF_MAGIC	0x00
#define L4_KIP_OFF_API_VERSION	0x04
#define L4_KIP_OFF_API_FLAGS	0x08
#define L4_KIP_OFF_KERNEL_DESC	0x0c
#define L4_KIP_OFF_MEMORY_INFO	0x54
#define L4_KIP_OFF_UTCB_INFO	0xa8
#define L4_KIP_OFF_KIP_AREA	0xac
#define L4_KIP_OFF_BOOT_INFO	0xb8
#define L4_KIP_OFF_CLOCK_INFO	0xc0
#define L4_KIP_OFF_THREAD_INFO	0xc4
#define L4_KIP_OFF_PAGE_INFO	0xc8
#define L4_KIP_OFF_PROC_INFO	0xcc
#define L4_KIP_OFF_SYSCALLS	0xd0

/* The system calls, in the order of their entry offsets at 0xd0. */
enum l4_syscall {
	L4_SYS_SPACE_CONTROL, L4_SYS_THREAD_CONTROL, L4_SYS_PROCESSOR_CONTROL,
	L4_SYS_MEMORY_CONTROL, L4_SYS_IPC, L4_SYS_LIPC, L4_SYS_UNMAP,
	L4_SYS_EXCHANGE_REGISTERS, L4_SYS_SYSTEM_CLOCK, L4_SYS_THREAD_SWITCH,
	L4_SYS_SCHEDULE, L4_SYS_COUNT
};

/* Memory descriptor types. */
#define L4_MEM_UNDEFINED	0x0
#define L4_MEM_CONVENTIONAL	0x1
#define L4_MEM_RESERVED		0x2
#define L4_MEM_DEDICATED	0x3
#define L4_MEM_SHARED		0x4
#define L4_MEM_BOOTLOADER	0xe
#define L4_MEM_ARCH		0xf

struct l4_memdesc {
	unsigned int type;	/* low 4 bits; 0xe/0xf carry a subtype above */
	int is_virtual;
	l4_word_t low, high;	/* inclusive: [low, high] */
};

#define L4_KIP_MAX_MEMDESC	64

struct l4_kip {
	l4_word_t api_version, api_flags;
	unsigned int kernel_id, kernel_subid;	/* from the kernel descriptor */
	l4_word_t supplier;
	l4_word_t syscall[L4_SYS_COUNT];	/* entry offsets from the KIP base */
	unsigned int user_base, system_base, thread_bits;
	l4_word_t page_size_mask;		/* bit k: 2^k byte pages */
	unsigned int page_rights;
	unsigned int processors;
	unsigned int read_precision, schedule_precision;	/* clock, microseconds */
	unsigned int utcb_area_log2;	/* smallest UTCB area a space may have */
	unsigned int utcb_size;		/* bytes of one UTCB (alignment x multiplier) */
	unsigned int kip_area_log2;	/* the KIP area of a new space */
	l4_word_t boot_info;		/* what the boot loader left (0: nothing) */
	unsigned int n_memdesc;
	struct l4_memdesc memdesc[L4_KIP_MAX_MEMDESC];
};

/* Why a KIP was refused. */
enum l4_kip_error {
	L4_KIP_OK = 0,
	L4_KIP_BAD_MAGIC = -1,
	L4_KIP_BAD_VERSION = -2,	/* not X.2 */
	L4_KIP_BAD_WORD_SIZE = -3,	/* not 32-bit, or big-endian */
	L4_KIP_BAD_OFFSET = -4,		/* a descriptor offset points outside the page */
	L4_KIP_TOO_MANY = -5,		/* more memory descriptors than we keep */
};

/* Parse the KIP image at kip (size bytes, normally L4_KIP_SIZE). */
int l4_kip_parse(const void *kip, unsigned int size, struct l4_kip *out);

/* sigma0's and the root server's thread ids: the first user threads. */
static inline l4_word_t l4_kip_sigma0(const struct l4_kip *k) { return l4_global_id(k->user_base, 1); }
static inline l4_word_t l4_kip_root_server(const struct l4_kip *k) { return l4_global_id(k->user_base + 2, 1); }

/*
 * Conventional, non-virtual memory that no other physical descriptor of
 * higher index takes back (later descriptors override earlier ones, as the
 * specification says): the free memory of [lo, hi]; 1 if all of it is
 * conventional, 0 otherwise.
 */
int l4_kip_is_conventional(const struct l4_kip *k, l4_word_t lo, l4_word_t hi);

#endif
