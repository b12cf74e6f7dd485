/* SPDX-License-Identifier: MIT */
/*
 * The trap-and-emulate side of l4-bench: the same loops as plain
 * instructions (no plugin reads .S files). In the guest's L4 task they
 * fault: cli, sti and mov to CR3 with #GP, out with an I/O-fpage fault;
 * the VMM thread emulates them (l4-vmm-thread.c). pushf/popf do not
 * fault at all: they run natively and show the wrong IF.
 * cdecl: void raw_xxx(unsigned long n), n at 4(%esp).
 */
	.text
	.globl	raw_cli_sti, raw_pushf_popf, raw_port_out, raw_cr3_write
raw_cli_sti:
	movl	4(%esp), %ecx
1:	cli
	sti
	loop	1b
	cli
	ret

raw_pushf_popf:
	movl	4(%esp), %ecx
1:	pushfl
	popfl
	loop	1b
	ret

raw_port_out:
	movl	4(%esp), %ecx
	movl	$0x3ff, %edx
	movb	$0x5a, %al
1:	outb	%al, %dx
	loop	1b
	ret

/* the value comes from bench_cr3 (read on the pre-virtualized side) */
raw_cr3_write:
	movl	4(%esp), %ecx
	movl	bench_cr3, %eax
1:	movl	%eax, %cr3
	loop	1b
	ret

	.section .note.GNU-stack, "", @progbits
