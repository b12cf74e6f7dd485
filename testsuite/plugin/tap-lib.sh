# Shared by the plugin's fixture scripts (sourced): the TAP counters and the
# class names, read from abi.h so that a new class reaches every fixture test.
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
classes=$(sed -n 's/^#define PREVIRT_CLASS_\([A-Z0-9_]*\)[ \t]*[0-9][0-9]*.*/\1/p' "$top_srcdir/include/previrt/abi.h" |
	grep -v -x -e INVALID -e COUNT | tr 'A-Z' 'a-z' | tr '\n' ' ')
[ -n "$classes" ] || { echo "Bail out! no PREVIRT_CLASS_ names in $top_srcdir/include/previrt/abi.h"; exit 1; }
