#!/bin/sh
# SPDX-License-Identifier: MIT
# Without the plugin nothing is covered: previrt-audit must exit 1 and list
# every sensitive instruction of sensitive.c by class and function (the
# list is uncovered.expect), with its source line, and nothing else; in an
# object, an archive and a linked executable, for -m64 and -m32.
. "$srcdir/lib.sh"

expected=$(grep -v '^#' "$fixtures/uncovered.expect" | wc -l)

# check_listing WHAT REPORT: every expected (class, symbol) is listed.
check_listing() {
	section_of "$2" "uncovered sensitive instructions:" | tail -n +2 >"$2.list"
	grep -v '^#' "$fixtures/uncovered.expect" | while read -r class sym; do
		if ! awk -v c="$class" -v s="$sym" '
			$3 == c && index($2, s "+0x") == 1 { found = 1 }
			END { exit !found }' "$2.list"; then
			echo "FAIL: $1: $class in $sym is not listed as uncovered"
			echo x >>"$2.missing"
		fi
	done
	if [ -s "$2.missing" ]; then
		fail "$1: uncovered list incomplete"
		sed 's/^/  | /' "$2.list"
	else
		pass "$1: every expected instruction listed"
	fi
	listed=$(wc -l <"$2.list")
	if [ "$listed" -eq "$expected" ]; then
		pass "$1: exactly $expected listed"
	else
		fail "$1: $listed listed, expected $expected"
	fi
	expect_no_grep "$1: plain code not reported" "$2.list" "do_nothing_sensitive"
}

for bits in 64 32; do
	d=$work/m$bits
	mkdir -p "$d"
	assemble "$bits" "$fixtures/sensitive.c" "$d/sensitive.o"

	audit "$d/obj" "$d/sensitive.o"
	expect_status "-m$bits object" 1
	check_listing "-m$bits object" "$d/obj.out"
	expect_grep "-m$bits object: source lines from debug info" "$d/obj.out" \
		'do_cpuid\+0x[0-9a-f]+ +cpuid +cpuid +.*sensitive\.c:[0-9]+$'
	expect_grep "-m$bits object: summary total" "$d/obj.out" \
		"^  total +0 +$expected +0$"
	expect_grep "-m$bits object: verdict" "$d/obj.out" \
		"^verdict: $expected sensitive instructions not covered"

	audit "$d/allow" --allow-uncovered "$d/sensitive.o"
	expect_status "-m$bits --allow-uncovered" 0
	check_listing "-m$bits --allow-uncovered" "$d/allow.out"

	archive "$d/libsens.a" "$d/sensitive.o"
	audit "$d/ar" "$d/libsens.a"
	expect_status "-m$bits archive" 1
	expect_grep "-m$bits archive: member named" "$d/ar.out" \
		"^== .*libsens\.a\(sensitive\.o\) \("
	check_listing "-m$bits archive" "$d/ar.out"

	link_exe "$bits" "$d/sensitive.exe" do_cli "$d/sensitive.o"
	audit "$d/exe" "$d/sensitive.exe"
	expect_status "-m$bits executable" 1
	expect_grep "-m$bits executable: kind" "$d/exe.out" "\(elf(32|64)-[a-z0-9-]+, executable\)"
	check_listing "-m$bits executable" "$d/exe.out"
	expect_grep "-m$bits executable: addresses" "$d/exe.out" \
		'^  0x[0-9a-f]+ +do_cli\+0x0 +cli '
done
finish
