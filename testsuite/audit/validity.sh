#!/bin/sh
# SPDX-License-Identifier: MIT
# The audit says "valid" exactly where the runtime does (both use
# libprevirt/site-valid.c): records the runtime refuses are bad input
# here too, records the runtime patches are covered, and data in code
# that makes the sweep lose step is said once without spoiling the verdict.
. "$srcdir/lib.sh"

for bits in 64 32; do
	d=$work/m$bits
	mkdir -p "$d"

	# The sled budget: 1 byte over cli is too short, 9 is not what the plugin pads to.
	assemble "$bits" "$fixtures/short-sled.S" "$d/short-sled.o"
	audit "$d/short-sled" "$d/short-sled.o"
	expect_status "-m$bits sled shorter than the budget" 2
	expect_grep "-m$bits 1-byte sled over cli refused" "$d/short-sled.err" \
		'previrt_sites\+0x0 \(record 0\): sled_len 1 breaks the sled budget: insn_len 1 needs sled_len 8'
	expect_grep "-m$bits 9-byte sled over sti refused" "$d/short-sled.err" \
		'previrt_sites\+0xc \(record 1\): sled_len 9 breaks the sled budget: insn_len 1 needs sled_len 8'
	expect_grep "-m$bits refused cli is uncovered" "$d/short-sled.out" '^  \.text\+0x0 .* cli +cli'

	# MMIO: a memory move flagged DEVICE, nothing else.
	assemble "$bits" "$fixtures/mmio-flags.S" "$d/mmio-flags.o"
	audit "$d/mmio-flags" "$d/mmio-flags.o"
	expect_status "-m$bits MMIO records" 2
	expect_grep "-m$bits MMIO move without DEVICE refused" "$d/mmio-flags.err" \
		'\(record 0\): class mmio, but the instruction at \.text\+0x0, .mov \(%[er]ax\),%ecx., is not a memory move in a site flagged device'
	expect_grep "-m$bits MMIO record on lfence refused" "$d/mmio-flags.err" \
		'\(record 1\): class mmio, but the instruction at \.text\+0x8, .lfence., is not a memory move'
	expect_no_grep "-m$bits flagged MMIO move accepted" "$d/mmio-flags.err" '\(record 2\)'
	expect_grep "-m$bits one MMIO site counted" "$d/mmio-flags.out" '^sites: 1 \(2 more refused'

	# A prefix written apart: rep insb and pushfw run, the records start after the prefix.
	assemble "$bits" "$fixtures/prefix-apart.S" "$d/prefix-apart.o"
	audit "$d/prefix-apart" "$d/prefix-apart.o"
	expect_status "-m$bits prefix apart" 2
	expect_grep "-m$bits .byte 0xf3 before insb refused" "$d/prefix-apart.err" \
		'\(record 0\): the byte before the sled at \.text\+0x1 is 0xf3, which the processor may take as a prefix of .insb'
	expect_grep "-m$bits .byte 0x66 before pushf refused" "$d/prefix-apart.err" \
		'\(record 1\): the byte before the sled at \.text\+0xa is 0x66, which the processor may take as a prefix of .pushf.'
	expect_no_grep "-m$bits a record vouching for its boundary after an imm8 0x66 is valid" \
		"$d/prefix-apart.err" '\(record 2\)'
	expect_grep "-m$bits rep insb is reported uncovered" "$d/prefix-apart.out" '^  \.text\+0x0 .* pio +rep insb'

	# Data before valid sleds: the sweep resynchronises, says so once, verdict unchanged.
	assemble "$bits" "$fixtures/data-in-code.S" "$d/data-in-code.o"
	audit "$d/data-in-code" "$d/data-in-code.o"
	expect_status "-m$bits data in code before two valid sleds" 0
	expect_grep "-m$bits desync said, with a count" "$d/data-in-code.err" \
		'warning: the sweep lost step before the sled of previrt_sites\+0x0 \(record 0\).* \(2 times in this file; data in code\?\)'
	if [ "$(grep -c 'lost step' "$d/data-in-code.err")" -eq 1 ]; then
		pass "-m$bits desync said once"
	else
		fail "-m$bits desync said once: $(grep -c 'lost step' "$d/data-in-code.err") times"
	fi
	expect_grep "-m$bits both sleds covered" "$d/data-in-code.out" '^sites: 2$'
	audit "$d/data-in-code-json" --json "$d/data-in-code.o"
	expect_grep "-m$bits desync in the JSON warnings" "$d/data-in-code-json.out" \
		'"warnings": \[$'
done

# .code32 in a 64-bit object: 32-bit records, read as 32-bit code, all valid.
d=$work/m64
assemble 64 "$fixtures/code32.S" "$d/code32.o"
audit "$d/code32" "$d/code32.o"
expect_status "-m64 .code32 region with 32-bit records" 0
expect_grep "-m64 .code32: every site valid" "$d/code32.out" '^sites: 7$'
expect_grep "-m64 .code32: pop %ds counted" "$d/code32.out" '^  seg_write +2 +0 +0$'
expect_no_grep "-m64 .code32: no error" "$d/code32.err" 'error'
finish
