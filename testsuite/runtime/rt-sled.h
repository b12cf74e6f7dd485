/* SPDX-License-Identifier: MIT */
/*
 * PV_SLED(insn, class, flags): one sensitive instruction for the runtime
 * test programs.
 *
 * Built by hand (the default), it expands to exactly what the plugin
 * emits (see the comment at the end of abi.h): the instruction, .nops up
 * to the 8-byte budget, and a 12-byte record in previrt_sites.  Built with
 * -DPV_BY_PLUGIN and -fplugin=previrt.so, it is the bare instruction and
 * the plugin must find it and make the sled itself: the same program then
 * tests the plugin and the runtime together.
 */
#ifndef RT_SLED_H
#define RT_SLED_H

#include <previrt/abi.h>

#define PV_STR_(x) #x
#define PV_STR(x) PV_STR_(x)

#ifdef __x86_64__
#define PV_ARCH_NUM 2
#else
#define PV_ARCH_NUM 1
#endif

/*
 * A sled written by hand, whatever the build: for records the plugin would
 * never write.  It starts its asm statement, so what precedes it is the
 * compiler's code: it vouches for its boundary (PREVIRT_F_BOUNDARY) as
 * the plugin does.
 */
#define PV_HAND_SLED(insn, klass, flags)					\
	"771:\n\t" insn "\n772:\n"						\
	"\t.if (772b - 771b) < 8\n\t.nops 8 - (772b - 771b)\n\t.endif\n773:\n"	\
	"\t.pushsection previrt_sites, \"a\"\n\t.balign 4\n"			\
	"\t.long 771b - .\n"							\
	"\t.byte 1, " PV_STR(PV_ARCH_NUM) ", " PV_STR(klass) ", ("		\
	PV_STR(flags) ") | " PV_STR(PREVIRT_F_BOUNDARY)				\
	", 773b - 771b, 772b - 771b, 0, 0\n"					\
	"\t.popsection\n"

#ifdef PV_BY_PLUGIN
#define PV_SLED(insn, klass, flags) insn "\n"
#else
#define PV_SLED(insn, klass, flags) PV_HAND_SLED(insn, klass, flags)
#endif

#endif
