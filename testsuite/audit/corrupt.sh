#!/bin/sh
# SPDX-License-Identifier: MIT
# Bad records: each corrupt fixture must give exit status 2 and an error
# on stderr that names the file, the record's place in previrt_sites and
# what is wrong; -m64 and -m32. Then the same through an archive (the
# member is named) and through linked executables (final PC-relative
# values instead of relocations).
. "$srcdir/lib.sh"

# fixture | record place | what the message must say
cases='bad-version|previrt_sites\+0x0 \(record 0\)|version 7, but this tool reads version 1
bad-class|previrt_sites\+0x0 \(record 0\)|class 42 is out of range \(valid: 1\.\.29\)
truncated|previrt_sites\+0xc|truncated record: the section is 19 bytes, not a whole number of 12-byte records
outside-text|previrt_sites\+0x0 \(record 0\)|sled at \.data\+0x0 is outside text: section \.data is not executable
past-end|previrt_sites\+0x0 \(record 0\)|sled at \.text\+0x1 \(8 bytes\) runs past the end of \.text \(2 bytes\)
overlap|previrt_sites\+0xc \(record 1\)|sled at \.text\+0x4 overlaps the sled at \.text\+0x0 \(8 bytes\) of previrt_sites\+0x0 \(record 0\)
insn-len|previrt_sites\+0x0 \(record 0\)|insn_len is 3, but the instruction at \.text\+0x0, .cli., is 1 byte long
sled-short|previrt_sites\+0x0 \(record 0\)|sled_len 1 breaks the sled budget: insn_len 2 needs sled_len 8
class-mismatch|previrt_sites\+0x0 \(record 0\)|class cli, but the instruction at \.text\+0x0, .cpuid., is class cpuid
bad-padding|previrt_sites\+0x0 \(record 0\)|sled padding at \.text\+0x1 is .sti., not a no-op
mid-insn|previrt_sites\+0x0 \(record 0\)|sled padding at \.text\+0x2 is .add %al,\(%[er]ax\)., not a no-op
undefined|previrt_sites\+0x0 \(record 0\)|sled_rel refers to .elsewhere., which is not defined in a section of this object'

for bits in 64 32; do
	d=$work/m$bits
	mkdir -p "$d"
	while IFS='|' read -r name place what; do
		assemble "$bits" "$fixtures/$name.S" "$d/$name.o"
		audit "$d/$name" "$d/$name.o"
		expect_status "-m$bits $name" 2
		expect_grep "-m$bits $name: message" "$d/$name.err" \
			"^previrt-audit: [^ ]*/$name\.o: error: $place: $what"
		expect_grep "-m$bits $name: verdict" "$d/$name.out" "^verdict: bad input"
	done <<EOF
$cases
EOF

	# A bad member of an archive: named, and the good member still audited.
	assemble "$bits" "$fixtures/covered.S" "$d/covered.o"
	archive "$d/mixed.a" "$d/covered.o" "$d/bad-class.o"
	audit "$d/mixed" "$d/mixed.a"
	expect_status "-m$bits archive with a bad member" 2
	expect_grep "-m$bits archive: member named in the error" "$d/mixed.err" \
		'^previrt-audit: [^ ]*/mixed\.a\(bad-class\.o\): error: previrt_sites\+0x0 \(record 0\): class 42'
	expect_grep "-m$bits archive: good member still reported" "$d/mixed.out" \
		'^== [^ ]*/mixed\.a\(covered\.o\) .*$'

	# Linked: the field holds the final distance, no relocation.
	link_exe "$bits" "$d/bad-class.exe" broken "$d/bad-class.o"
	audit "$d/bad-class-exe" "$d/bad-class.exe"
	expect_status "-m$bits linked bad class" 2
	expect_grep "-m$bits linked bad class: message" "$d/bad-class-exe.err" \
		'previrt_sites\+0x0 \(record 0\): class 42 is out of range'

	link_exe "$bits" "$d/outside-text.exe" broken "$d/outside-text.o"
	audit "$d/outside-exe" "$d/outside-text.exe"
	expect_status "-m$bits linked sled in .data" 2
	expect_grep "-m$bits linked sled in .data: message" "$d/outside-exe.err" \
		'previrt_sites\+0x0 \(record 0\): sled at 0x[0-9a-f]+ is outside text: section \.data is not executable'

	link_exe "$bits" "$d/overlap.exe" broken "$d/overlap.o"
	audit "$d/overlap-exe" "$d/overlap.exe"
	expect_status "-m$bits linked overlap" 2
	expect_grep "-m$bits linked overlap: message" "$d/overlap-exe.err" \
		'\(record 1\): sled at 0x[0-9a-f]+ overlaps the sled at 0x[0-9a-f]+ \(8 bytes\)'
done
finish
