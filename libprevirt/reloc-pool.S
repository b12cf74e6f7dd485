/* SPDX-License-Identifier: MIT */
/*
 * Room for the native-relocate backend's stubs (previrt/reloc.h), in the
 * text so that every sled reaches it with a rel32 jump and it is
 * executable wherever the text is; int3 until a stub is written, so that
 * a stray jump into it stops at once.  64 KiB holds about 3000 stubs
 * (instruction + 5 bytes each), above the site count of the kernels built
 * here; a build that needs more sets PREVIRT_RELOC_POOL.
 */
#ifndef PREVIRT_RELOC_POOL
#define PREVIRT_RELOC_POOL 65536
#endif
	.text
	.balign	16
	.globl	previrt_reloc_pool
	.globl	previrt_reloc_pool_end
	.hidden	previrt_reloc_pool
	.hidden	previrt_reloc_pool_end
previrt_reloc_pool:
	.fill	PREVIRT_RELOC_POOL, 1, 0xcc
previrt_reloc_pool_end:
	.section .note.GNU-stack, "", @progbits
