/* SPDX-License-Identifier: MIT */
/*
 * Sensitive instructions no sled covers: assembled without the plugin, so
 * they fault on Xen as they stand and reach the backend's #GP fallback
 * (libprevirt's vmm/fallback.c).  pv-far.c checks what they did.  Only
 * instructions that #GP for a PV kernel at IOPL 1 are here (cli, sti, in
 * and out do not: Xen ignores or emulates them).
 */
	.text
	.globl	pv_unpatched_swapgs
	.type	pv_unpatched_swapgs, @function
pv_unpatched_swapgs:
	swapgs
	ret
	.size	pv_unpatched_swapgs, . - pv_unpatched_swapgs

	.globl	pv_unpatched_hlt
	.type	pv_unpatched_hlt, @function
pv_unpatched_hlt:
	hlt
	ret
	.size	pv_unpatched_hlt, . - pv_unpatched_hlt

	.section .note.GNU-stack, "", @progbits
