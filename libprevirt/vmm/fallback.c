// SPDX-License-Identifier: MIT
/*
 * The unpatched-instruction fallback: a sensitive instruction no sled
 * covers (code built without the plugin, a module's hand-written asm)
 * faults on the hypervisor instead of running; the backend hands the
 * fault here, which decodes what is at the faulting address and emulates
 * it through the same path as a sled (previrt_vcpu_emulate), so that the
 * two can never disagree.  Only what the virtual CPU emulates completely
 * and can undo nothing of is taken: the guest kernel's own instructions
 * (CPL 0), without a memory operand (a fault on the operand would be
 * taken inside the VMM, with no sled to raise it at).  Anything else is
 * the guest's exception, and the backend delivers it as one.
 */
#include <previrt/vcpu.h>

int previrt_fallback_emulate(struct previrt_vcpu *v, struct previrt_regs *regs, unsigned int bits,
			     struct pv_x86_insn *insn)
{
	unsigned long at = regs->ip;
	int n, rc;

	if (v->cpl != 0)
		return -1;
	n = pv_x86_decode((const uint8_t *)at, 15, (int)bits, insn);
	if (n <= 0 || !insn->klass || !previrt_vcpu_emulates_class(insn->klass) ||
	    insn->has_mem || insn->op == PV_OP_INS || insn->op == PV_OP_OUTS)
		return -1;
	/* as after a sled: ip past the instruction (no site: nothing is rip-relative here) */
	regs->ip = at + (unsigned long)n;
	rc = previrt_vcpu_emulate(v, regs, insn, 0);
	if (rc)
		regs->ip = at;	/* a fault is raised at the instruction; "cannot" leaves it */
	return rc;
}
