#!/bin/sh
# previrt-audit and the runtime must give the same verdict on every record
# of every fixture: the audit's corrupt and valid fixtures
# (testsuite/audit/fixtures, -m64 and -m32, as objects and linked), the
# plugin's fixtures compiled with the plugin (-m64/-m32, -O0/-O2),
# this directory's own test programs, and the audit's fuzz corpus
# (testsuite/fuzz/corpus/audit).  verdict-compare runs both on each
# file; the set must hold valid and refused records alike, or agreement
# would prove nothing.  First, the runtime alone on real objects whose
# prefixes are written apart from their instruction (prefix-apart.c with
# the plugin, the audit's prefix-apart.S by hand): linked with
# fixture-validate.c, it must refuse exactly the split sites. The plugin
# writes none: it takes a prefix written apart into the site, or refuses
# the site itself, so every record of prefix-apart.c is kept.  TAP output.
set -u
: "${CC:=gcc}" "${PLUGIN:?}" "${srcdir:=.}" "${top_srcdir:?}" "${VERDICT_COMPARE:?}"
: "${CORE64:?}" "${CORE32:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0; fail=0
afx=$top_srcdir/testsuite/audit/fixtures

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; fail=1; }

files=""
inc="-I$top_srcdir/include -I$top_srcdir/libprevirt"
for m in 64 32; do
	core=$CORE64; extra=""
	[ $m = 32 ] && { core=$CORE32; extra="-fno-pie -no-pie"; }
	for src in "$srcdir/prefix-apart.c" "$afx/prefix-apart.S"; do
		case $src in
		*.c) want="sites 3 kept 3 refused 0"; how="-fplugin=$PLUGIN";;
		*) want="sites 3 kept 1 refused 2"; how="-I$afx";;
		esac
		tag="$(basename "$src") -m$m: no split prefix is kept"
		o=$work/split-$(basename "$src").m$m.o
		if ! $CC -m$m -O2 $extra $how -I"$top_srcdir/include" -c "$src" -o "$o" 2>"$work/err" ||
		   ! $CC -m$m $extra -std=gnu11 $inc "$srcdir/fixture-validate.c" "$o" "$core" \
			-o "$work/split" 2>>"$work/err"; then
			not_ok "$tag: builds"; sed 's/^/# /' "$work/err"
			continue
		fi
		files="$files $o"
		got=$("$work/split" 2>"$work/err")
		if [ "$got" = "$want" ]; then ok "$tag ($got)"
		else not_ok "$tag: '$got', expected '$want'"; sed 's/^/# /' "$work/err"; fi
	done
done
for m in 64 32; do
	for f in "$afx"/*.S "$afx"/*.c; do
		name=$(basename "$f"); name=${name%.*}
		[ "$name" = code32 ] && [ $m = 32 ] && continue
		o=$work/$name.m$m.o
		if ! $CC -m$m -c -O2 -I"$top_srcdir/include" -I"$afx" "$f" -o "$o" 2>"$work/err"; then
			not_ok "audit fixture $name -m$m builds"; sed 's/^/# /' "$work/err"
			continue
		fi
		files="$files $o"
		# linked too: final distances instead of relocations
		if $CC -m$m -nostdlib -no-pie -Wl,-e,0 "$o" -o "$work/$name.m$m.exe" 2>/dev/null; then
			files="$files $work/$name.m$m.exe"
		fi
	done
	for f in "$top_srcdir"/testsuite/plugin/fixtures/*.c "$top_srcdir"/testsuite/plugin/warn/*.c; do
		name=$(basename "$f" .c)
		for o in -O0 -O2; do
			out=$work/plugin-$name.m$m$o.o
			if $CC -m$m $o -fplugin="$PLUGIN" -c "$f" -o "$out" 2>"$work/err"; then
				files="$files $out"
			else
				not_ok "plugin fixture $name -m$m $o compiles"; sed 's/^/# /' "$work/err"
			fi
		done
	done
done
for p in rt-vcpu rt-native rt-vcpu-plugin rt-native-plugin rt-vcpu32 rt-native32 \
	rt-vcpu32-plugin rt-inline; do
	if [ -f "$p" ]; then files="$files $p"; else not_ok "test program $p is built"; fi
done
# the audit's fuzz corpus: files libFuzzer made from the fixtures, many of
# them broken in ways no compiler writes
for f in "$top_srcdir"/testsuite/fuzz/corpus/audit/*; do files="$files $f"; done

# shellcheck disable=SC2086
"$VERDICT_COMPARE" $files >"$work/out" 2>"$work/err"
status=$?
sed 's/^/# /' "$work/out" | grep -v 'same verdicts$'
if [ $status -eq 0 ]; then
	ok "$(tail -n 1 "$work/out")"
else
	not_ok "same verdicts everywhere (status $status)"
fi
total=$(sed -n 's/.* \([0-9][0-9]*\) records (\([0-9][0-9]*\) valid).*/\1 \2/p' "$work/out")
set -- $total
if [ "${1:-0}" -gt "${2:-0}" ] && [ "${2:-0}" -gt 0 ]; then
	ok "both verdicts occur: $2 valid of $1 records"
else
	not_ok "both verdicts occur: ${total:-none}"
fi
echo "1..$n"
exit $fail
