#!/bin/sh
# SPDX-License-Identifier: MIT
# Damaged ELF files are bad input, never "covered": a corrupt e_shstrndx
# (libbfd then drops every section and warns), an index past the section
# table, and a file whose section table is gone. Made at test time from a
# real object with dd; -m64 and -m32, alone and as an archive member.
. "$srcdir/lib.sh"

# poke FILE OFFSET BYTES...: overwrite bytes (octal escapes for printf).
poke() {
	file=$1 off=$2
	shift 2
	printf "$@" | dd of="$file" bs=1 seek="$off" conv=notrunc 2>/dev/null ||
		hard_error "cannot patch $file"
}

for bits in 64 32; do
	d=$work/m$bits
	mkdir -p "$d"
	# e_shstrndx, e_shnum and e_shoff: where the ELF header keeps them
	if [ "$bits" = 64 ]; then shstrndx=62 shnum=60 shoff=40 offlen=8
	else shstrndx=50 shnum=48 shoff=32 offlen=4; fi
	assemble "$bits" "$fixtures/covered.S" "$d/covered.o"

	# the index names .text (section 1), which is no string table
	cp "$d/covered.o" "$d/strndx.o"
	poke "$d/strndx.o" "$shstrndx" '\001\000'
	audit "$d/strndx" "$d/strndx.o"
	expect_status "-m$bits e_shstrndx on a code section" 2
	expect_grep "-m$bits e_shstrndx: libbfd's warning shown" "$d/strndx.err" \
		'corrupt string table index'
	expect_grep "-m$bits e_shstrndx: the file named, bad input" "$d/strndx.err" \
		"^previrt-audit: [^ ]*/strndx\\.o: error: "
	expect_grep "-m$bits e_shstrndx: verdict" "$d/strndx.out" '^verdict: bad input'
	expect_no_grep "-m$bits e_shstrndx: never covered" "$d/strndx.out" 'is covered'

	# the index past the end of the section table
	cp "$d/covered.o" "$d/strndx-far.o"
	poke "$d/strndx-far.o" "$shstrndx" '\360\177'
	audit "$d/strndx-far" --json "$d/strndx-far.o"
	expect_status "-m$bits e_shstrndx past the table" 2
	expect_grep "-m$bits e_shstrndx past the table: JSON verdict" "$d/strndx-far.out" \
		'"verdict": "bad-input"'
	expect_grep "-m$bits e_shstrndx past the table: libbfd's words in the JSON errors" \
		"$d/strndx-far.out" 'libbfd found 1 problem in the file \(warning: [^)]*corrupt string table index\)'

	# as an archive member
	archive "$d/damaged.a" "$d/covered.o" "$d/strndx.o"
	audit "$d/damaged" "$d/damaged.a"
	expect_status "-m$bits archive with a damaged member" 2
	expect_grep "-m$bits archive: the member named" "$d/damaged.err" \
		'^previrt-audit: [^ ]*/damaged\.a\(strndx\.o\): error: '

	# no section table at all
	cp "$d/covered.o" "$d/nosec.o"
	poke "$d/nosec.o" "$shoff" "$(printf '%*s' "$offlen" '' | sed 's/ /\\000/g')"
	poke "$d/nosec.o" "$shnum" '\000\000\000\000'
	audit "$d/nosec" "$d/nosec.o"
	expect_status "-m$bits no section table" 2
	expect_no_grep "-m$bits no section table: never covered" "$d/nosec.out" 'is covered'
done
finish
