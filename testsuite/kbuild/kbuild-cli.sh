#!/bin/sh
# previrt-kbuild's command line and its failure report, without building a
# kernel: bad arguments exit 2 with a message; a step that fails (here the
# configuration, in a stand-in tree whose make fails) prints the step, its
# last lines and the log's path, and exits 1.
set -u
: "${top_srcdir:?}"
kb=$top_srcdir/kbuild-glue/previrt-kbuild.sh
work=${TMPDIR:-/tmp}/pv-kbuild-cli.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
n=0 failed=0
check() {	# check NAME WANT_EXIT PATTERN ARGS...: exit status and a line of the output
	name=$1 want=$2 pat=$3; shift 3
	n=$((n + 1))
	sh "$kb" "$@" >"$work/out" 2>&1
	rc=$?
	if [ $rc -eq "$want" ] && grep -q -E -- "$pat" "$work/out"; then
		echo "ok $n - $name"
	else
		failed=$((failed + 1))
		echo "not ok $n - $name (exit $rc, want $want; want a line matching '$pat')"
		sed 's/^/# /' "$work/out"
	fi
}
check "--help prints the usage" 0 '^Usage: previrt-kbuild ' --help
check "-h prints the usage" 0 '^Usage: previrt-kbuild ' -h
check "--version prints the version" 0 '^previrt-kbuild \(previrt\) [0-9]' --version
check "an unknown long option is refused" 2 "unknown option --frobnicate" --frobnicate
check "an unknown short option is refused" 2 "Try 'previrt-kbuild --help'" -Z x
check "no tree given" 2 "no Linux tree given"
check "a missing tree" 2 "no such directory" "$work/nowhere"
mkdir -p "$work/notlinux"
check "a directory that is no Linux tree" 2 "is not a Linux tree" "$work/notlinux"
# A stand-in tree: it has what the script checks for, and a make that fails.
mkdir -p "$work/tree/arch/x86"
printf 'tinyconfig:\n\t@echo "kconfig: line 1 of the failure"\n\t@echo "kconfig: THE-LAST-LINE"\n\t@exit 1\n' \
	>"$work/tree/Makefile"
check "an unsupported architecture" 2 "unsupported arch arm64" -a arm64 -o "$work/o" "$work/tree"
check "a failing step is named" 1 '^previrt-kbuild: \[1/4\] configure x86_64 .*: FAILED after [0-9]+s: make tinyconfig' \
	-o "$work/build" "$work/tree"
check "its last lines are shown" 1 '^  kconfig: THE-LAST-LINE$' -o "$work/build" "$work/tree"
check "the log's path is given" 1 "^previrt-kbuild: the whole log: $work/build/previrt-kbuild.log\$" \
	-o "$work/build" "$work/tree"
n=$((n + 1))
if grep -q 'THE-LAST-LINE' "$work/build/previrt-kbuild.log" 2>/dev/null; then
	echo "ok $n - the log holds the step's output"
else
	failed=$((failed + 1)); echo "not ok $n - the log holds the step's output"
fi
# The runtime's kernel sources as previrt-kbuild reads them (libprevirt's
# core_sources, with kbuild-glue/core-sources.awk, not make): each one a file. A make variable in the
# list compiled as a file name once, and only a kernel build found it.
n=$((n + 1))
rt=$top_srcdir/libprevirt
list=$(awk -f "$top_srcdir/kbuild-glue/core-sources.awk" "$rt/Makefile.am")
missing=""
for f in $list; do [ -f "$rt/$f" ] || missing="$missing $f"; done
if [ -n "$list" ] && [ -z "$missing" ]; then
	echo "ok $n - libprevirt's core_sources: $(echo $list | wc -w) files, each one there"
else
	failed=$((failed + 1)); echo "not ok $n - libprevirt's core_sources are files (not:${missing:- an empty list})"
fi
echo "1..$n"
[ $failed -eq 0 ]
