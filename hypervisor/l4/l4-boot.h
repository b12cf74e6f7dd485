/* SPDX-License-Identifier: MIT */
/*
 * What the monitor needs from the boot loader and the guest image, and
 * what it hands the guest: three small formats, read with every offset
 * checked (the inputs come from outside the monitor).
 *
 * The generic boot information of X.2 (the KIP's BootInfo word points at
 * it): a header {magic 0x14b0021d, version 1, size, offset of the first
 * record, number of records} and records {type, version, offset of the
 * next record, ...}. A module (type 1) is {.., start, size, command-line
 * offset from the record}: that is how the guest image arrives, an extra
 * boot module after the root task, with its kernel command line.
 *
 * The guest image is an ELF32 i386 executable whose PT_LOAD segments are
 * placed at their physical addresses in guest memory, with a note
 * "previrt" of type L4_NOTE_ENTRY naming two virtual addresses: where the
 * guest's virtual CPU thread starts, and where its in-place VMM thread
 * (exception handler and pager of the first) starts.
 *
 * Both threads start with the stack pointer at a struct l4_start_info
 * that the monitor wrote into guest memory.
 */
#ifndef PREVIRT_L4_BOOT_H
#define PREVIRT_L4_BOOT_H

#include "l4-word.h"

#define L4_BOOTINFO_MAGIC	0x14b0021du
#define L4_BOOTREC_MODULE	1u

struct l4_boot_module {
	l4_word_t start, size;		/* physical */
	const char *cmdline;		/* inside the boot information, NUL-terminated */
};

/*
 * The index-th module record of the boot information at bi (bytes bytes
 * readable there). 0, or -1 when there is no such module or the record
 * structure is broken.
 */
int l4_boot_module(const void *bi, l4_word_t bytes, unsigned int index, struct l4_boot_module *m);

/* The note the guest image carries. */
#define L4_NOTE_NAME		"previrt"
#define L4_NOTE_ENTRY		0x4c340001u

struct l4_image {
	l4_word_t vcpu_entry, vmm_entry;	/* virtual addresses */
	l4_word_t phys_end;			/* end of the highest segment */
};

enum l4_image_error {
	L4_IMAGE_OK = 0,
	L4_IMAGE_NOT_ELF32 = -1,	/* magic, class, data, machine, type */
	L4_IMAGE_BAD_HEADERS = -2,	/* program headers outside the file */
	L4_IMAGE_BAD_SEGMENT = -3,	/* a segment outside the file or guest memory */
	L4_IMAGE_NO_NOTE = -4,		/* no previrt L4 entry note */
};

/*
 * Check the image (size bytes at elf) and copy its loadable segments into
 * guest memory (mem, mem_size bytes of guest-physical memory from 0),
 * zeroing what the file does not supply. Nothing is written unless every
 * header checks out.
 */
int l4_image_load(const void *elf, l4_word_t size, unsigned char *mem, l4_word_t mem_size,
		  struct l4_image *out);
const char *l4_image_error_name(int err);

/* From the monitor to the guest's two threads (see above). */
#define L4_START_MAGIC		0x34767270u	/* "prv4" */
struct l4_start_info {
	uint32_t magic;
	uint32_t mem_size;		/* guest-physical memory [0, mem_size) */
	uint32_t cmdline_gpa;		/* NUL-terminated, guest-physical */
	l4_word_t monitor;		/* the monitor's thread */
	l4_word_t vcpu, vmm;		/* the guest's two threads */
};

#endif
