// SPDX-License-Identifier: MIT
/*
 * A leaf function whose only work is a sensitive instruction: without the
 * plugin gcc gives it no alloc (its return uses ar.pfs as the caller left
 * it). The test backend's brl.call overwrites ar.pfs, so the plugin
 * declares ar.pfs and b7 clobbered: gcc must then save ar.pfs (alloc) and
 * restore it before returning (run-cross.sh checks both builds).
 */
void leaf_irq_off(void);

void leaf_irq_off(void)
{
	asm volatile("rsm psr.i ;;" ::: "memory");
}
