#!/bin/sh
# previrt-as fixture test: every .S and .s in as-fixtures/, built by gcc with
# -B<ASBIN>/ (so that gcc runs previrt-as as its 'as') for -m64 and -m32,
# linked with site-dump, must give exactly the sites its EXPECT lines name,
# with valid sleds, the warnings it counts (EXPECT-WARN, from the report)
# and the notes it quotes, file:line included (EXPECT-NOTE). Assembled by
# gas alone it has no table at all. Then: the same instructions from C
# (same.c, through the plugin) and from a .S (same.S, through previrt-as)
# give the same record bytes and the same sleds; a macro with sleds
# expanded in an alternative's replacement is refused (non-zero exit, the
# line named); bad options are refused; "as --version" passes through.
#
# Prints a TAP stream; exit status 1 on any failure.
set -u
: "${CC:=gcc}"
: "${PLUGIN:?set PLUGIN to previrt.so}"
: "${ASBIN:?set ASBIN to the directory whose as is previrt-as}"
: "${srcdir:=.}"
: "${top_srcdir:=../..}"
work=${TMPDIR:-/tmp}/pv-as-fixtures.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

. "$srcdir/tap-lib.sh"

for m in 64 32; do
	$CC -m$m -O2 -I"$top_srcdir/include" -c "$srcdir/site-dump.c" -o "$work/dump$m.o" || exit 1
done

for f in "$srcdir"/as-fixtures/*.S "$srcdir"/as-fixtures/*.s; do
	name=$(basename "$f")
	for m in 64 32; do
		tag="$name -m$m"
		obj=$work/$name.$m.o
		rm -f "$work/report"
		# -Wa,--noexecstack: the fixtures have no .note.GNU-stack of their own
		if ! PREVIRT_AS_REPORT="$work/report" $CC -m$m -B"$ASBIN/" -Wa,--noexecstack \
			-c "$f" -o "$obj" 2>"$work/err"; then
			not_ok "$tag: assembles through previrt-as" "$(cat "$work/err")"
			continue
		fi
		want_warn=$(sed -n 's|.*EXPECT-WARN: \([0-9]*\).*|\1|p' "$f")
		got_warn=$(sed -n 's|^previrt: .*, \([0-9]*\) warnings$|\1|p' "$work/report")
		msg=""
		[ "${want_warn:-0}" = "$got_warn" ] || msg="$msg $got_warn warnings, want ${want_warn:-0};"
		sed -n 's|.*EXPECT-NOTE: \(.*[^ ]\) *\*/.*|\1|p; s|^# EXPECT-NOTE: \(.*\)|\1|p' "$f" >"$work/notes"
		while read -r note; do
			grep -qF "$note" "$work/err" || msg="$msg no note '$note';"
		done <"$work/notes"
		if ! $CC -m$m "$obj" "$work/dump$m.o" -o "$work/exe" 2>"$work/lerr" ||
		   ! "$work/exe" >"$work/dump" 2>"$work/lerr"; then
			not_ok "$tag: site table is valid" "$(cat "$work/lerr")" "$(cat "$work/err")"
			continue
		fi
		for c in $classes; do
			want=$(sed -n "s|.*EXPECT: $c \([0-9]*\).*|\1|p" "$f")
			wm=$(sed -n "s|.*EXPECT$m: $c \([0-9]*\).*|\1|p" "$f")
			want=$(( ${want:-0} + ${wm:-0} ))
			got=$(grep -c "^site class=$c " "$work/dump")
			[ "$want" = "$got" ] || msg="$msg $c: $got sites, want $want;"
		done
		if grep -q EXPECT-NONE "$f" && ! grep -q '^sites 0$' "$work/dump"; then
			msg="$msg sites where none are expected;"
		fi
		sed -n 's|.*EXPECT-BYTES: \([a-z_]*\) \([0-9a-f ]*[0-9a-f]\).*|\1 \2|p' "$f" >"$work/bytes"
		while read -r c bytes; do
			grep -q "^site class=$c .* bytes=$bytes\$" "$work/dump" ||
				msg="$msg no $c site with bytes '$bytes';"
		done <"$work/bytes"
		sed -n 's|.*EXPECT-SLED: \([a-z_]*\) \([0-9a-f ]*[0-9a-f]\).*|\1 \2|p' "$f" >"$work/sleds"
		while read -r c bytes; do
			grep -q "^sled class=$c all=$bytes\$" "$work/dump" ||
				msg="$msg no $c sled '$bytes';"
		done <"$work/sleds"
		if [ -n "$msg" ]; then
			not_ok "$tag: sites as expected" "$msg" "$(cat "$work/dump")" "$(cat "$work/err")"
		else
			ok "$tag: $(tail -n 1 "$work/dump"), all as expected"
		fi
		# gas alone: no table
		$CC -m$m -Wa,--noexecstack -c "$f" -o "$work/plain.o" 2>/dev/null &&
		$CC -m$m "$work/plain.o" "$work/dump$m.o" -o "$work/exe" &&
		"$work/exe" >"$work/dump" 2>&1
		if grep -q '^sites 0$' "$work/dump"; then
			ok "$tag: gas alone, no sites"
		else
			not_ok "$tag: gas alone, no sites" "$(cat "$work/dump")"
		fi
	done
done

# The same instructions from C and from .S: the same records and sleds.
# gcc -r gathers each object's previrt_sites; bytes 4..11 of each record are
# what the writer chose (bytes 0..3, the offset, are relocated at link).
records() {	# OBJECT WIDTH: one line per record, sorted
	$CC -m$2 -r -nostdlib -o "$1.r" "$1" && objcopy -O binary -j previrt_sites "$1.r" "$1.bin" &&
	od -An -v -tx1 -w12 "$1.bin" | awk '{ $1 = $2 = $3 = $4 = ""; print }' | sort
}
for m in 64 32; do
	if $CC -m$m -O2 -fplugin="$PLUGIN" -c "$srcdir/as-fixtures/same.c" -o "$work/samec.o" 2>"$work/err" &&
	   $CC -m$m -B"$ASBIN/" -c "$srcdir/as-fixtures/same.S" -o "$work/sames.o" 2>>"$work/err"; then
		records "$work/samec.o" $m >"$work/rc" && records "$work/sames.o" $m >"$work/rs"
		for o in samec sames; do
			$CC -m$m "$work/$o.o" "$work/dump$m.o" -o "$work/exe" 2>/dev/null &&
			"$work/exe" | grep '^sled ' | sort >"$work/$o.sleds"
		done
		if [ -s "$work/rc" ] && cmp -s "$work/rc" "$work/rs" && [ -s "$work/samec.sleds" ] &&
		   cmp -s "$work/samec.sleds" "$work/sames.sleds"; then
			ok "same.c and same.S -m$m: $(wc -l <"$work/rc") records, the same bytes and sleds"
		else
			not_ok "same.c and same.S -m$m: the same records and sleds" \
				"C: $(cat "$work/rc" "$work/samec.sleds")" "S: $(cat "$work/rs" "$work/sames.sleds")"
		fi
	else
		not_ok "same.c and same.S -m$m: build" "$(cat "$work/err")"
	fi
done

# A macro with sleds expanded where previrt annotates nothing: refused.
cat >"$work/refuse.S" <<'EOF'
	.macro	OFF
	cli
	.endm
	.text
	OFF
	.pushsection .altinstr_replacement, "ax"
	OFF
	.popsection
EOF
if $CC -B"$ASBIN/" -c "$work/refuse.S" -o "$work/refuse.o" 2>"$work/err"; then
	not_ok "a macro with sleds expanded in .altinstr_replacement is refused" "$(cat "$work/err")"
elif grep -q "refuse.S:7: error: previrt: refused: asm macro 'OFF'" "$work/err" && [ ! -f "$work/refuse.o" ]; then
	ok "a macro with sleds expanded in .altinstr_replacement is refused, line named, no object"
else
	not_ok "the refusal names file and line" "$(cat "$work/err")"
fi

# Bad options: a clear error and a non-zero exit.
if "$ASBIN/as" --previrt-bogus -o "$work/x.o" "$work/refuse.S" 2>"$work/err"; then
	not_ok "an unknown --previrt- option is refused"
elif grep -q "previrt-as: unknown option '--previrt-bogus'" "$work/err"; then
	ok "an unknown --previrt- option is refused by name"
else
	not_ok "an unknown --previrt- option is refused by name" "$(cat "$work/err")"
fi
if "$ASBIN/as" --previrt-as=/nonexistent/as -o "$work/x.o" /dev/null 2>"$work/err"; then
	not_ok "a missing real assembler is an error"
elif grep -q "/nonexistent/as" "$work/err"; then
	ok "a missing real assembler is an error naming it"
else
	not_ok "a missing real assembler is an error naming it" "$(cat "$work/err")"
fi
# gcc -v shows previrt-as; as --version is the real one's.
if $CC -v -B"$ASBIN/" -c "$srcdir/as-fixtures/same.S" -o "$work/v.o" 2>&1 | grep -q "^ $ASBIN/as " &&
   "$ASBIN/as" --version | grep -q "GNU assembler"; then
	ok "gcc -v runs $ASBIN/as; as --version is the real assembler's"
else
	not_ok "gcc -v runs $ASBIN/as; as --version is the real assembler's"
fi

echo "1..$n"
[ "$failed" = 0 ]
