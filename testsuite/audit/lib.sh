# SPDX-License-Identifier: MIT
# Shared by the previrt-audit tests: build fixtures, run the tool, compare.
#
# Every test builds its fixtures into its own scratch directory (NAME.dir
# in the build tree) with the same compiler as the project, for -m64 and
# -m32. A fixture that does not build is a hard error (status 99), never a
# skip: the test would otherwise prove nothing.
#
# The environment comes from Makefile.am: CC, AR, AUDIT (the tool),
# top_srcdir, PLUGIN (path of previrt.so), PLUGIN_FIXTURES.

set -u
: "${CC:?}" "${AR:?}" "${AUDIT:?}" "${top_srcdir:?}" "${srcdir:?}"

fixtures=$srcdir/fixtures
work=$(basename "$0" .sh).dir
rm -rf "$work"
mkdir -p "$work"
failures=0
checks=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
	checks=$((checks + 1))
}

pass() {
	echo "ok: $*"
	checks=$((checks + 1))
}

hard_error() {
	echo "ERROR: $*"
	exit 99
}

# assemble BITS SOURCE OUTPUT [CFLAGS...]: build one fixture object.
assemble() {
	bits=$1 src=$2 out=$3
	shift 3
	$CC -m"$bits" -c -g -O2 -I"$top_srcdir/include" -I"$fixtures" "$@" \
		"$src" -o "$out" || hard_error "cannot build $src for -m$bits"
}

# link_exe BITS OUTPUT ENTRY OBJECTS...: a static executable without libc,
# so that the audit sees only the fixture's code.
link_exe() {
	bits=$1 out=$2 entry=$3
	shift 3
	$CC -m"$bits" -nostdlib -no-pie -Wl,-e,"$entry" "$@" -o "$out" ||
		hard_error "cannot link $out for -m$bits"
}

# link_shared BITS OUTPUT OBJECTS...
link_shared() {
	bits=$1 out=$2
	shift 2
	$CC -m"$bits" -nostdlib -shared "$@" -o "$out" ||
		hard_error "cannot link $out for -m$bits"
}

# archive OUTPUT OBJECTS...
archive() {
	out=$1
	shift
	rm -f "$out"
	$AR rc "$out" "$@" || hard_error "cannot make archive $out"
}

# audit PREFIX ARGS...: run the tool; stdout in PREFIX.out, stderr in
# PREFIX.err, exit status in $status.
audit() {
	prefix=$1
	shift
	"$AUDIT" "$@" >"$prefix.out" 2>"$prefix.err"
	status=$?
}

# expect_status WHAT EXPECTED: compare with the last audit's status.
expect_status() {
	if [ "$status" -eq "$2" ]; then
		pass "$1: exit status $2"
	else
		fail "$1: exit status $status, expected $2"
		sed 's/^/  | /' "$prefix.err" | head -20
	fi
}

# expect_grep WHAT FILE PATTERN: an extended regular expression must match.
expect_grep() {
	if grep -Eq -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1: no line of $2 matches /$3/"
		sed 's/^/  | /' "$2" | head -40
	fi
}

# expect_no_grep WHAT FILE PATTERN
expect_no_grep() {
	if grep -Eq -- "$3" "$2"; then
		fail "$1: $2 matches /$3/"
		grep -E -- "$3" "$2" | sed 's/^/  | /' | head -10
	else
		pass "$1"
	fi
}

# section_of FILE TITLE: the lines of one list of the text report (from
# its title line to the next line that does not start with two blanks).
section_of() {
	awk -v title="$2" '
		index($0, title) == 1 { inside = 1; next }
		inside && /^  / { print; next }
		{ inside = 0 }' "$1"
}

finish() {
	echo "$checks checks, $failures failed"
	[ "$checks" -gt 0 ] || hard_error "no check ran"
	[ "$failures" -eq 0 ]
	exit $?
}
