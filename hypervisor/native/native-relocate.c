// SPDX-License-Identifier: MIT
/*
 * native-relocate: a test mode of the native backend.  The kernel still
 * runs on the bare machine, but every sled is rewritten, as a hypervisor
 * backend rewrites it, into a jump to a stub that runs the original
 * instruction natively and jumps back (previrt/reloc.h).  What that
 * proves on a whole kernel, on real CPU semantics: that every site's
 * record and sled are what the patcher believes, that a rewritten sled
 * is entered and left correctly from every place it sits in, and that
 * nothing relies on a sensitive instruction being where the compiler put
 * it.  Never chosen by detection, only by previrt=native-relocate; a site
 * it cannot rewrite is fatal, since a test mode that silently leaves
 * sites alone would prove nothing about them.
 */
#include <previrt/backend.h>
#include <previrt/reloc.h>

#define RELOCATE PREVIRT_FILL_INLINE
const struct previrt_backend previrt_backend_native_relocate = {
	.name = "native-relocate",
	.detect = 0,
	.fill = {
		[PREVIRT_CLASS_CLI] = RELOCATE, [PREVIRT_CLASS_STI] = RELOCATE,
		[PREVIRT_CLASS_PUSHF] = RELOCATE, [PREVIRT_CLASS_POPF] = RELOCATE,
		[PREVIRT_CLASS_HLT] = RELOCATE, [PREVIRT_CLASS_PIO] = RELOCATE,
		[PREVIRT_CLASS_MMIO] = RELOCATE, [PREVIRT_CLASS_CR] = RELOCATE,
		[PREVIRT_CLASS_DR] = RELOCATE, [PREVIRT_CLASS_DESC_LOAD] = RELOCATE,
		[PREVIRT_CLASS_DESC_STORE] = RELOCATE, [PREVIRT_CLASS_SEG_READ] = RELOCATE,
		[PREVIRT_CLASS_SEG_WRITE] = RELOCATE, [PREVIRT_CLASS_FAR_XFER] = RELOCATE,
		[PREVIRT_CLASS_SEG_CHECK] = RELOCATE, [PREVIRT_CLASS_TLB] = RELOCATE,
		[PREVIRT_CLASS_CACHE] = RELOCATE, [PREVIRT_CLASS_MSR] = RELOCATE,
		[PREVIRT_CLASS_PMC] = RELOCATE, [PREVIRT_CLASS_TSC] = RELOCATE,
		[PREVIRT_CLASS_CPUID] = RELOCATE, [PREVIRT_CLASS_KRET] = RELOCATE,
		[PREVIRT_CLASS_SWAPGS] = RELOCATE, [PREVIRT_CLASS_FSGSBASE] = RELOCATE,
		[PREVIRT_CLASS_XCR] = RELOCATE, [PREVIRT_CLASS_XSAVES] = RELOCATE,
		[PREVIRT_CLASS_MWAIT] = RELOCATE, [PREVIRT_CLASS_SMAP] = RELOCATE,
		[PREVIRT_CLASS_VMX] = RELOCATE,
	},
	.emit = previrt_reloc_emit,
	.refusal_fatal = 1,
};
