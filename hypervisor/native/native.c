// SPDX-License-Identifier: MIT
/*
 * The native backend: the kernel runs on the bare machine (or in a full
 * virtual machine that traps everything), so every sensitive instruction
 * simply stays where the plugin left it.  The only thing worth doing is
 * the padding: gas's .nops may have split it (or, for i386 code, used lea
 * idioms), and one canonical NOP per sled is the cheapest to skip.
 */
#include <previrt/backend.h>

static int native_detect(const struct previrt_env *env)
{
	(void)env;
	return 1;	/* the fallback: bare hardware looks like nothing else */
}

#define KEEP PREVIRT_FILL_KEEP
const struct previrt_backend previrt_backend_native = {
	.name = "native",
	.detect = native_detect,
	.fill = {
		[PREVIRT_CLASS_CLI] = KEEP, [PREVIRT_CLASS_STI] = KEEP,
		[PREVIRT_CLASS_PUSHF] = KEEP, [PREVIRT_CLASS_POPF] = KEEP,
		[PREVIRT_CLASS_HLT] = KEEP, [PREVIRT_CLASS_PIO] = KEEP,
		[PREVIRT_CLASS_MMIO] = KEEP, [PREVIRT_CLASS_CR] = KEEP,
		[PREVIRT_CLASS_DR] = KEEP, [PREVIRT_CLASS_DESC_LOAD] = KEEP,
		[PREVIRT_CLASS_DESC_STORE] = KEEP, [PREVIRT_CLASS_SEG_READ] = KEEP,
		[PREVIRT_CLASS_SEG_WRITE] = KEEP, [PREVIRT_CLASS_FAR_XFER] = KEEP,
		[PREVIRT_CLASS_SEG_CHECK] = KEEP, [PREVIRT_CLASS_TLB] = KEEP,
		[PREVIRT_CLASS_CACHE] = KEEP, [PREVIRT_CLASS_MSR] = KEEP,
		[PREVIRT_CLASS_PMC] = KEEP, [PREVIRT_CLASS_TSC] = KEEP,
		[PREVIRT_CLASS_CPUID] = KEEP, [PREVIRT_CLASS_KRET] = KEEP,
		[PREVIRT_CLASS_SWAPGS] = KEEP, [PREVIRT_CLASS_FSGSBASE] = KEEP,
		[PREVIRT_CLASS_XCR] = KEEP, [PREVIRT_CLASS_XSAVES] = KEEP,
		[PREVIRT_CLASS_MWAIT] = KEEP, [PREVIRT_CLASS_SMAP] = KEEP,
		[PREVIRT_CLASS_VMX] = KEEP,
	},
	.canonical_nops = 1,
};
