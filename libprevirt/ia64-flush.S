// SPDX-License-Identifier: MIT
// pv_ia64_flush_icache_native(ctx, addr, len): make freshly written code
// visible to instruction fetch. fc writes back and invalidates the cache
// line holding an address, in every cache; it is taken 32 bytes at a time
// (no IA-64 implementation has smaller lines), then sync.i waits for the
// flushes and srlz.i makes the instruction stream see them.
	.text
	.align 32
	.global pv_ia64_flush_icache_native
	.proc pv_ia64_flush_icache_native
pv_ia64_flush_icache_native:
	// in0 = ctx (unused), in1 = addr, in2 = len; leaf: arguments stay in r32-r34
	add r14 = r33, r34		// end of the range
	and r15 = -32, r33 ;;		// first line
1:
	cmp.ltu p6, p7 = r15, r14 ;;
	(p6) fc r15
	(p6) add r15 = 32, r15
	(p6) br.cond.sptk.few 1b ;;
	sync.i ;;
	srlz.i ;;
	br.ret.sptk.many b0
	.endp pv_ia64_flush_icache_native
