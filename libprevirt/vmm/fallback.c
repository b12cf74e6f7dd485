// SPDX-License-Identifier: MIT
/*
 * The unpatched-instruction fallback: a sensitive instruction no sled
 * covers (code built without the plugin, a module's hand-written asm)
 * faults on the hypervisor instead of running; the backend hands the
 * fault here, which decodes what is at the faulting address and runs it
 * through the same path as a sled: the backend's own ->handle(), with a
 * site record that describes the instruction where it is (a sled of its
 * own length), so the two can never disagree.  Only the guest kernel's
 * own instructions (CPL 0) that the virtual CPU emulates and that have
 * no memory operand are taken (a fault on an operand would be taken
 * inside the VMM, where no record says how to raise it); anything else
 * is the guest's exception, and the backend delivers it as one.
 */
#include <previrt/vcpu.h>

int previrt_fallback_emulate(const struct previrt_backend *b, struct previrt_vcpu *v,
			     struct previrt_regs *regs, unsigned int bits,
			     struct pv_x86_insn *insn)
{
	struct previrt_site *s = &v->fallback_site;
	unsigned long at = regs->ip;
	long rel = (long)(at - (unsigned long)&s->sled_rel);
	int n, rc;

	if (v->cpl != 0 || rel != (long)(int)rel)
		return -1;	/* the record is PC-relative: it must reach (it does within a kernel) */
	n = pv_x86_decode((const uint8_t *)at, 15, (int)bits, insn);
	if (n <= 0 || !insn->klass || !previrt_vcpu_emulates_class(insn->klass) ||
	    insn->has_mem || insn->op == PV_OP_INS || insn->op == PV_OP_OUTS)
		return -1;
	s->sled_rel = (int)rel;
	s->version = PREVIRT_ABI_VERSION;
	s->arch = bits == 64 ? PREVIRT_ARCH_X86_64 : PREVIRT_ARCH_X86_32;
	s->klass = insn->klass;
	s->flags = 0;
	s->sled_len = (unsigned char)n;
	s->insn_len = (unsigned char)n;
	/* as after a sled: ip past it */
	regs->ip = at + (unsigned long)n;
	rc = b && b->handle ? b->handle(v, regs, insn, s) : previrt_vcpu_emulate(v, regs, insn, s);
	if (rc)
		regs->ip = at;	/* a fault is raised at the instruction; "cannot" leaves it */
	return rc;
}
