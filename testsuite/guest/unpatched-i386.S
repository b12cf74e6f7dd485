/* SPDX-License-Identifier: MIT */
/*
 * Sensitive instructions no sled covers (test-unpatched.c): a .S file,
 * which the plugin never sees, so these stay bare as in code built
 * without it. cdecl, i386 only.
 */
	.text
	.globl	unpatched_cli
unpatched_cli:
	cli
	ret

	.globl	unpatched_sti
unpatched_sti:
	sti
	ret

	.globl	unpatched_read_cr0
unpatched_read_cr0:
	movl	%cr0, %eax
	ret

	.globl	unpatched_read_cr3
unpatched_read_cr3:
	movl	%cr3, %eax
	ret

	/* unpatched_write_cr3(value) */
	.globl	unpatched_write_cr3
unpatched_write_cr3:
	movl	4(%esp), %eax
	movl	%eax, %cr3
	ret
	.section .note.GNU-stack,"",@progbits
