#!/bin/sh
# SPDX-License-Identifier: MIT
# The command line and input that is not a usable object at all: --help,
# --version, no file, a missing file, a text file, a truncated ELF, an ELF
# for another machine. Each bad input gives status 2 and a message naming
# the file, never a crash.
. "$srcdir/lib.sh"

audit "$work/help" --help
expect_status "--help" 0
expect_grep "--help: usage" "$work/help.out" '^Usage: previrt-audit \[OPTION\]\.\.\. FILE\.\.\.'
expect_grep "--help: default ignored section" "$work/help.out" 'Default: \.altinstr_replacement'
expect_grep "--help: exit status explained" "$work/help.out" '^Exit status: 0'

audit "$work/version" --version
expect_status "--version" 0
expect_grep "--version" "$work/version.out" '^previrt-audit \(previrt\) [0-9]+\.[0-9]+'

audit "$work/none"
expect_status "no input file" 2
expect_grep "no input file: message" "$work/none.err" 'no input files'

audit "$work/badopt" --no-such-option x.o
expect_status "unknown option" 2

audit "$work/missing" "$work/no-such-file.o"
expect_status "missing file" 2
expect_grep "missing file: message" "$work/missing.err" \
	'^previrt-audit: [^ ]*no-such-file\.o: error: cannot open: No such file'

printf 'not an object\n' >"$work/text.o"
audit "$work/text" "$work/text.o"
expect_status "text file" 2
expect_grep "text file: message" "$work/text.err" \
	'^previrt-audit: [^ ]*text\.o: error: not an object file: file format not recognized'

assemble 64 "$fixtures/covered.S" "$work/covered.o"
head -c 100 "$work/covered.o" >"$work/cut.o"
audit "$work/cut" "$work/cut.o"
expect_status "truncated ELF" 2
expect_grep "truncated ELF: message names the file" "$work/cut.err" \
	'^previrt-audit: [^ ]*cut\.o: error: '

# Half of the section headers gone: bfd may accept the file, the audit
# must still end with a clear status.
size=$(wc -c <"$work/covered.o")
head -c $((size - 200)) "$work/covered.o" >"$work/short.o"
audit "$work/short" "$work/short.o"
if [ "$status" -eq 2 ] && grep -q 'short\.o' "$work/short.err"; then
	pass "ELF without its tail: status 2, file named"
else
	fail "ELF without its tail: status $status"
	sed 's/^/  | /' "$work/short.err"
fi

# Another machine: the same object with e_machine set to AArch64 (183).
cp "$work/covered.o" "$work/arm.o"
printf '\267\000' | dd of="$work/arm.o" bs=1 seek=18 conv=notrunc 2>/dev/null ||
	hard_error "cannot patch e_machine"
audit "$work/arm" "$work/arm.o"
expect_status "non-x86 ELF" 2
expect_grep "non-x86 ELF: message" "$work/arm.err" \
	'arm\.o: error: not an x86 ELF file'

# x86 but not ELF: a PE object.
printf 'int f(void) { return 1; }\n' >"$work/plain.c"
assemble 64 "$work/plain.c" "$work/plain.o"
objcopy -O pe-x86-64 "$work/plain.o" "$work/plain.pe" ||
	hard_error "objcopy cannot write pe-x86-64"
audit "$work/pe" "$work/plain.pe"
expect_status "PE object" 2
expect_grep "PE object: message" "$work/pe.err" \
	'plain\.pe: error: not an x86 ELF file \(format pe-x86-64'

# Several files: the worst status wins, each file is reported.
assemble 64 "$fixtures/sensitive.c" "$work/sensitive.o"
audit "$work/several" "$work/covered.o" "$work/sensitive.o"
expect_status "covered + uncovered files" 1
expect_grep "several: first file reported" "$work/several.out" '^== [^ ]*covered\.o '
expect_grep "several: second file reported" "$work/several.out" '^== [^ ]*sensitive\.o '
audit "$work/several2" "$work/sensitive.o" "$work/text.o" "$work/covered.o"
expect_status "uncovered + bad + covered files" 2
finish
