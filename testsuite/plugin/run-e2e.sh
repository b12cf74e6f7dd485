#!/bin/sh
# End to end: e2e.c with and without the plugin, -m64 and -m32, -O0 and -O2;
# the plugin build must have sites, and both must print the same.
set -u
: "${CC:=gcc}"
: "${PLUGIN:?set PLUGIN to previrt.so}"
: "${srcdir:=.}"
work=${TMPDIR:-/tmp}/pv-e2e.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
for m in 64 32; do
	for o in -O0 -O2; do
		n=$((n + 1))
		tag="e2e -m$m $o"
		if ! $CC -m$m $o "$srcdir/e2e.c" -o "$work/plain" 2>"$work/err" ||
		   ! $CC -m$m $o -fplugin="$PLUGIN" -fplugin-arg-previrt-report="$work/report" \
			"$srcdir/e2e.c" -o "$work/pv" 2>>"$work/err"; then
			echo "not ok $n - $tag: builds"; sed 's/^/# /' "$work/err"; failed=$((failed + 1))
			continue
		fi
		"$work/plain" >"$work/plain.out" 2>&1
		"$work/pv" >"$work/pv.out" 2>&1
		rc=$?
		sites=$(sed -n 's/.*: \([0-9]*\) sites.*/\1/p' "$work/report" | tail -n 1)
		rm -f "$work/report"
		if [ $rc -ne 0 ] || ! cmp -s "$work/plain.out" "$work/pv.out" || [ "${sites:-0}" -lt 10 ]; then
			echo "not ok $n - $tag: same output with $sites sites (exit $rc)"
			diff "$work/plain.out" "$work/pv.out" | sed 's/^/# /'
			failed=$((failed + 1))
		else
			echo "ok $n - $tag: same output, $sites sites: $(head -n 1 "$work/pv.out")"
		fi
	done
done
echo "1..$n"
[ $failed = 0 ]
