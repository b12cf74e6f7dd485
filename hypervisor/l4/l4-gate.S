/* SPDX-License-Identifier: MIT */
/*
 * The gate: the virtual CPU thread leaves the dispatcher here with the
 * guest's registers when the VMM thread must finish the job (l4_vmm.gate).
 * hlt at CPL 3 raises #GP(0), which the L4 kernel hands, with every
 * register, to the VMM thread in an exception message. (Not ud2: an ia32
 * Pistachio stops in its debugger, or spins without one, on any invalid
 * opcode other than "lock; nop"; see doc/l4.md.)
 */
	.text
	.globl	l4_gate_hlt
	.type	l4_gate_hlt, @function
l4_gate_hlt:
	hlt
	.size	l4_gate_hlt, . - l4_gate_hlt

	.section .note.GNU-stack, "", @progbits
