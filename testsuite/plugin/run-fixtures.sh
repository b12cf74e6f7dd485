#!/bin/sh
# Plugin fixture test: every fixture in fixtures/ (and warn/), built with the
# plugin for -m64 and -m32 at -O0, -O2 and -Os, linked with site-dump, must
# give exactly the sites its EXPECT lines name, with valid sleds, the
# instruction bytes it names, and the warnings it names. Built without the
# plugin, it must have no table at all.
#
# Prints a TAP stream; exit status 1 on any failure.
set -u
: "${CC:=gcc}"
: "${PLUGIN:?set PLUGIN to previrt.so}"
: "${srcdir:=.}"
: "${top_srcdir:=../..}"
work=${TMPDIR:-/tmp}/pv-fixtures.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

. "$srcdir/tap-lib.sh"

for m in 64 32; do
	$CC -m$m -O2 -I"$top_srcdir/include" -c "$srcdir/site-dump.c" -o "$work/dump$m.o" || exit 1
done

for f in "$srcdir"/fixtures/*.c "$srcdir"/warn/*.c; do
	name=$(basename "$f" .c)
	for m in 64 32; do
		for o in -O0 -O2 -Os; do
			tag="$name -m$m $o"
			obj=$work/$name.$m$o.o
			rm -f "$work/report"
			if ! $CC -m$m $o -fplugin="$PLUGIN" -fplugin-arg-previrt-report="$work/report" \
				-c "$f" -o "$obj" 2>"$work/err"; then
				not_ok "$tag: compiles with the plugin" "$(cat "$work/err")"
				continue
			fi
			# Diagnostics are grouped notes on stderr; the report counts each.
			want_warn=$(sed -n 's|.*EXPECT-WARN: \([0-9]*\).*|\1|p' "$f")
			got_warn=$(sed -n 's|^previrt: .*, \([0-9]*\) warnings$|\1|p' "$work/report")
			if grep -q 'warning: previrt:' "$work/err"; then
				not_ok "$tag: previrt issued a gcc warning (it breaks -Werror builds)" "$(cat "$work/err")"
			fi
			if [ "${want_warn:-0}" != "$got_warn" ]; then
				not_ok "$tag: $got_warn warnings, want ${want_warn:-0}" "$(cat "$work/err")"
			fi
			if ! $CC -m$m "$obj" "$work/dump$m.o" -o "$work/exe" 2>"$work/err" ||
			   ! "$work/exe" >"$work/dump" 2>"$work/err"; then
				not_ok "$tag: site table is valid" "$(cat "$work/err")"
				continue
			fi
			msg=""
			for c in $classes; do
				want=$(sed -n "s|.*EXPECT: $c \([0-9]*\).*|\1|p" "$f")
				w64=$(sed -n "s|.*EXPECT$m: $c \([0-9]*\).*|\1|p" "$f")
				want=$(( ${want:-0} + ${w64:-0} ))
				got=$(grep -c "^site class=$c " "$work/dump")
				[ "$want" = "$got" ] || msg="$msg $c: $got sites, want $want;"
			done
			if grep -q EXPECT-NONE "$f" && ! grep -q '^sites 0$' "$work/dump"; then
				msg="$msg sites where none are expected;"
			fi
			want=$(sed -n 's|.*EXPECT-DEVICE: \([0-9]*\).*|\1|p' "$f")
			got=$(grep -c 'flags=device' "$work/dump")
			[ "${want:-0}" = "$got" ] || msg="$msg $got device sites, want ${want:-0};"
			want=$(sed -n 's|.*EXPECT-FLAG: raw \([0-9]*\).*|\1|p' "$f")
			got=$(grep -c 'flags=[a-z,]*raw' "$work/dump")
			[ "${want:-0}" = "$got" ] || msg="$msg $got raw-byte sites, want ${want:-0};"
			sed -n 's|.*EXPECT-BYTES: \([a-z_]*\) \([0-9a-f ]*[0-9a-f]\).*|\1 \2|p' "$f" >"$work/bytes"
			while read -r c bytes; do
				grep -q "^site class=$c .* bytes=$bytes\$" "$work/dump" ||
					msg="$msg no $c site with bytes '$bytes';"
			done <"$work/bytes"
			# EXPECT-SLED: the whole sled, byte for byte (the shape of a site)
			sed -n 's|.*EXPECT-SLED: \([a-z_]*\) \([0-9a-f ]*[0-9a-f]\).*|\1 \2|p' "$f" >"$work/sleds"
			sed -n "s|.*EXPECT$m-SLED: \([a-z_]*\) \([0-9a-f ]*[0-9a-f]\).*|\1 \2|p" "$f" >>"$work/sleds"
			while read -r c bytes; do
				grep -q "^sled class=$c all=$bytes\$" "$work/dump" ||
					msg="$msg no $c sled '$bytes';"
			done <"$work/sleds"
			if [ -n "$msg" ]; then
				not_ok "$tag: sites as expected" "$msg" "$(cat "$work/dump")"
			else
				ok "$tag: $(tail -n 1 "$work/dump"), all as expected"
			fi
		done
		# Without the plugin the same source has no table at all.
		$CC -m$m -O2 -c "$f" -o "$work/plain.o" 2>/dev/null &&
		$CC -m$m "$work/plain.o" "$work/dump$m.o" -o "$work/exe" &&
		"$work/exe" >"$work/dump" 2>&1
		if grep -q '^sites 0$' "$work/dump"; then
			ok "$name -m$m: no plugin, no sites"
		else
			not_ok "$name -m$m: no plugin, no sites" "$(cat "$work/dump")"
		fi
	done
done

echo "1..$n"
[ "$failed" = 0 ]
