#!/bin/sh
# SPDX-License-Identifier: MIT
# Hand-written sleds and records in exactly the plugin's format: the audit
# must exit 0, list every site (covered.expect) and nothing uncovered; in
# an object, an archive, an executable and a shared object, -m64 and -m32
# (and an x32 object).
# Then sections that are not run in place: .altinstr_replacement is left
# out of the verdict by default, and --ignore-section/--no-default-ignore
# change that.
. "$srcdir/lib.sh"

expected=$(grep -v '^#' "$fixtures/covered.expect" | wc -l)

# check_sites WHAT REPORT: the site list equals covered.expect, in order.
check_sites() {
	section_of "$2" "sites:" | awk 'NR > 1 {
		sym = $2; sub(/\+0x[0-9a-f]+$/, "", sym); print $3, sym, $6 }' \
		>"$2.sites"
	grep -v '^#' "$fixtures/covered.expect" >"$2.expect"
	# A linked file lays .text.unlikely out first: compare as sets there.
	sort "$2.sites" >"$2.sites.sorted"
	sort "$2.expect" >"$2.expect.sorted"
	if cmp -s "$2.sites.sorted" "$2.expect.sorted"; then
		pass "$1: site list"
	else
		fail "$1: site list differs from covered.expect"
		diff "$2.expect.sorted" "$2.sites.sorted" | sed 's/^/  | /'
	fi
	expect_grep "$1: site count" "$2" "^sites: $expected$"
	expect_grep "$1: nothing uncovered" "$2" "^uncovered sensitive instructions: 0$"
	expect_grep "$1: verdict" "$2" "^verdict: every sensitive instruction is covered$"
	expect_grep "$1: summary total" "$2" "^  total +$expected +0 +0$"
	if [ -s "$prefix.err" ]; then
		fail "$1: unexpected messages on stderr"
		sed 's/^/  | /' "$prefix.err"
	else
		pass "$1: stderr empty"
	fi
}

for bits in 64 32; do
	d=$work/m$bits
	mkdir -p "$d"
	assemble "$bits" "$fixtures/covered.S" "$d/covered.o"

	audit "$d/obj" "$d/covered.o"
	expect_status "-m$bits object" 0
	check_sites "-m$bits object" "$d/obj.out"
	# The object keeps section order: exact order and places.
	if cmp -s "$d/obj.out.sites" "$d/obj.out.expect"; then
		pass "-m$bits object: sites in address order"
	else
		fail "-m$bits object: sites out of order"
	fi
	expect_grep "-m$bits object: relocated place" "$d/obj.out" \
		'^  \.text\.unlikely\+0x0 +hw_read_tsc\+0x0 +tsc +8 +2 +-$'
	if [ "$bits" = 64 ]; then mmio_len=11; else mmio_len=10; fi
	expect_grep "-m$bits object: sled longer than the budget" "$d/obj.out" \
		"hw_mmio_write\+0x0 +mmio +$mmio_len +$mmio_len +device$"

	audit "$d/quiet" --quiet "$d/covered.o"
	expect_status "-m$bits --quiet" 0
	expect_no_grep "-m$bits --quiet: no site list" "$d/quiet.out" "^sites:"

	archive "$d/libcov.a" "$d/covered.o"
	audit "$d/ar" "$d/libcov.a"
	expect_status "-m$bits archive" 0
	check_sites "-m$bits archive" "$d/ar.out"

	link_exe "$bits" "$d/covered.exe" hw_irq_off "$d/covered.o"
	audit "$d/exe" "$d/covered.exe"
	expect_status "-m$bits executable" 0
	check_sites "-m$bits executable" "$d/exe.out"
	# The address printed must be the symbol's: compare with nm.
	addr=$(nm "$d/covered.exe" | awk '$3 == "hw_cpuid" { print $1 }' | sed 's/^0*//')
	expect_grep "-m$bits executable: cpuid site at hw_cpuid+2 (0x$addr + 2)" \
		"$d/exe.out" "^  0x$(printf '%x' $((0x$addr + 2))) +hw_cpuid\+0x2 +cpuid "

	link_shared "$bits" "$d/covered.so" "$d/covered.o"
	audit "$d/so" "$d/covered.so"
	expect_status "-m$bits shared object" 0
	check_sites "-m$bits shared object" "$d/so.out"
	expect_grep "-m$bits shared object: kind" "$d/so.out" ", shared object\) ==$"

	# Alternatives: reported apart, not counted against coverage.
	assemble "$bits" "$fixtures/altinstr.S" "$d/altinstr.o"
	audit "$d/alt" "$d/altinstr.o"
	expect_status "-m$bits .altinstr_replacement ignored by default" 0
	section_of "$d/alt.out" "sensitive instructions in ignored sections" >"$d/alt.ignored"
	expect_grep "-m$bits stac listed as ignored" "$d/alt.ignored" \
		'^  \.altinstr_replacement\+0x0 +.* smap +stac '
	expect_grep "-m$bits ignored column" "$d/alt.out" '^  smap +0 +0 +1$'

	audit "$d/alt-all" --no-default-ignore "$d/altinstr.o"
	expect_status "-m$bits --no-default-ignore" 1
	section_of "$d/alt-all.out" "uncovered sensitive instructions:" >"$d/alt-all.list"
	expect_grep "-m$bits stac uncovered without the default" "$d/alt-all.list" \
		'^  \.altinstr_replacement\+0x0 +.* smap +stac '

	audit "$d/alt-named" --no-default-ignore \
		--ignore-section=.altinstr_replacement "$d/altinstr.o"
	expect_status "-m$bits --ignore-section=.altinstr_replacement" 0

	audit "$d/alt-text" --ignore-section .text "$d/covered.o"
	expect_status "-m$bits sites in an ignored section still count" 0
done

# x32: an ELF32 file with 64-bit code and RELA relocations; records say x86-64.
mkdir -p "$work/mx32"
assemble x32 "$fixtures/covered.S" "$work/mx32/covered.o"
audit "$work/mx32/obj" "$work/mx32/covered.o"
expect_status "-mx32 object" 0
check_sites "-mx32 object" "$work/mx32/obj.out"
expect_grep "-mx32 object: format" "$work/mx32/obj.out" '^== .*\(elf32-x86-64, relocatable object\) ==$'
finish
