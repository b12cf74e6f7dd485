#!/bin/sh
# The plugin and the runtime must agree: every fixture of the plugin's
# tests (testsuite/plugin/fixtures and warn), compiled with the plugin for
# -m64 and -m32 at -O0 and -O2, linked with fixture-validate.c and the
# runtime of that width, must have every site accepted by the runtime's
# validation (decoder, class, lengths, padding).  TAP output.
set -u
: "${CC:=gcc}" "${PLUGIN:?}" "${srcdir:=.}" "${top_srcdir:?}" "${CORE64:?}" "${CORE32:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0; fail=0
inc="-I$top_srcdir/include -I$top_srcdir/libprevirt"

for f in "$top_srcdir"/testsuite/plugin/fixtures/*.c "$top_srcdir"/testsuite/plugin/warn/*.c; do
	name=$(basename "$f" .c)
	for m in 64 32; do
		core=$CORE64; extra=""
		[ $m = 32 ] && { core=$CORE32; extra="-fno-pie -no-pie"; }
		for o in -O0 -O2; do
			n=$((n + 1)); tag="$name -m$m $o"
			if ! $CC -m$m $o $extra -fplugin="$PLUGIN" -c "$f" -o "$work/f.o" 2>"$work/err"; then
				echo "not ok $n - $tag: compiles with the plugin"; sed 's/^/# /' "$work/err"; fail=1
				continue
			fi
			if ! $CC -m$m $extra -std=gnu11 $inc "$srcdir/fixture-validate.c" "$work/f.o" "$core" \
				-o "$work/exe" 2>"$work/err"; then
				echo "not ok $n - $tag: links with the runtime"; sed 's/^/# /' "$work/err"; fail=1
				continue
			fi
			if "$work/exe" >"$work/out" 2>"$work/err"; then
				echo "ok $n - $tag: $(cat "$work/out")"
			else
				echo "not ok $n - $tag: $(cat "$work/out")"; sed 's/^/# /' "$work/err"; fail=1
			fi
		done
	done
done
echo "1..$n"
exit $fail
