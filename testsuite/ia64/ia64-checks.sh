# Shared by run-asm.sh and run-cross.sh (sourced): TAP helpers and the
# checks of one linked IA-64 image against ia64-linux-gnu-objdump.
# Needs: $work (scratch dir), IA64_OBJDUMP, IA64_NM, ./ia64-image.

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check() { # check DESCRIPTION COMMAND...
	d=$1; shift
	if "$@" >"$work/last.log" 2>&1; then ok "$d"; else not_ok "$d"; sed 's/^/# /' "$work/last.log"; fi
}

# objdump lines as "ADDR<TAB>TEXT", TEXT without the [MII] marker.
disasm() {
	"$IA64_OBJDUMP" -d --no-show-raw-insn "$1" |
		awk -F'\t' '/^ +[0-9a-f]+:\t/ { a = $1; sub(/^ +/, "", a); sub(/:$/, "", a);
			t = $2; sub(/^\[[A-Z]+\] */, "", t); sub(/^ +/, "", t); print a "\t" t }'
}

# The disassembly lines of the bundle at ADDR (hex, no 0x) in a disasm file.
bundle_lines() {
	for off in 0 6 12; do
		grep "^$(printf '%x' $((0x$1 + off)))	" "$2"
	done
}

# Units and stops of every bundle as objdump prints them: "ADDR UNITS STOPMASK".
objdump_bundles() {
	"$IA64_OBJDUMP" -d --no-show-raw-insn "$1" |
		awk -F'\t' '/^ +[0-9a-f]+:\t/ {
			a = $1; sub(/^ +/, "", a); sub(/:$/, "", a)
			if (match($2, /^\[[A-Z]+\]/)) {
				if (base != "") print base, units, stops
				base = a; units = substr($2, 2, RLENGTH - 2); stops = 0; slot = 0
			} else slot++
			if ($2 ~ /;;$/) stops += (units == "MLX" && slot == 1) ? 4 : 2 ^ slot
		} END { if (base != "") print base, units, stops }'
}

# check_image NAME ELF EXPECT: bundles, records, sleds, both backends.
# ELF is linked with previrt_test_handler; EXPECT lists "class slot qp regex"
# for each record in table order.
check_image() {
	name=$1 elf=$2 expect=$3
	./ia64-image bundles "$elf" >"$work/ours.bundles"
	status=$?
	objdump_bundles "$elf" >"$work/objdump.bundles"
	if [ $status -eq 0 ] && [ -s "$work/ours.bundles" ] &&
	   cmp -s "$work/ours.bundles" "$work/objdump.bundles"; then
		ok "$name: $(wc -l <"$work/ours.bundles") bundles decode, re-encode, and match objdump's templates and stops"
	else
		not_ok "$name: bundle decoding differs from objdump"
		diff "$work/objdump.bundles" "$work/ours.bundles" | head -20 | sed 's/^/# /'
	fi

	./ia64-image sites "$elf" >"$work/sites" || true
	disasm "$elf" >"$work/orig.dis"
	grep -v '^#' "$expect" >"$work/expect"
	if [ "$(wc -l <"$work/sites")" -eq "$(wc -l <"$work/expect")" ]; then
		ok "$name: $(wc -l <"$work/sites") records, as many as expected"
	else
		not_ok "$name: $(wc -l <"$work/sites") records, expected $(wc -l <"$work/expect")"
	fi
	i=0
	while read -r addr klass slot len ilen qp verdict && read -r eklass eslot eqp eregex <&3; do
		i=$((i + 1))
		at=$(printf '%x' $((0x$addr + $(echo "0 6 12" | cut -d' ' -f$((slot + 1))))))
		text=$(awk -F'\t' -v a="$at" '$1 == a { t = $2; sub(/;;$/, "", t); print t }' "$work/orig.dis")
		if [ "$klass $slot $qp" = "$eklass $eslot $eqp" ] && [ "$verdict" = ok ] &&
		   [ "$ilen" = 16 ] && echo "$text" | grep -Eqx "$eregex"; then
			ok "$name site $i: $klass in slot $slot (qp $qp) of bundle $addr, sled $len bytes: '$text'"
		else
			not_ok "$name site $i: got '$klass $slot $qp $verdict' at $addr, objdump '$text'; expected '$eklass $eslot $eqp $eregex'"
		fi
	done <"$work/sites" 3<"$work/expect"

	# Native: the sleds stay as they are, byte for byte.
	./ia64-image patch "$elf" "$work/native.elf" native x >"$work/native.log" 2>&1
	if cmp -s "$elf" "$work/native.elf"; then
		ok "$name: native backend keeps every byte ($(cat "$work/native.log"))"
	else
		not_ok "$name: native backend changed the image"
	fi

	# Test backend: each plugin sled's first bundle becomes
	# { .mlx nop.m <index>; (qp) brl.call.sptk.many b7=handler ;; }
	handler=$("$IA64_NM" "$elf" | awk '$3 == "previrt_test_handler" { sub(/^0+/, "", $1); print $1 }')
	if ./ia64-image patch "$elf" "$work/test.elf" test previrt_test_handler >"$work/test.log" 2>&1; then
		ok "$name: test backend patched, every written bundle flushed ($(cat "$work/test.log"))"
	else
		not_ok "$name: test backend"; sed 's/^/# /' "$work/test.log"
	fi
	disasm "$work/test.elf" >"$work/test.dis"
	bad=0 i=0 want_patched=0 want_kept=0
	while read -r addr klass slot len ilen qp verdict; do
		if [ "$len" = 16 ]; then
			# In the source's own bundle: no room for the call; left as it was.
			want_kept=$((want_kept + 1))
			now=$(bundle_lines "$addr" "$work/test.dis")
			if [ -z "$now" ] || [ "$now" != "$(bundle_lines "$addr" "$work/orig.dis")" ]; then
				bad=1
				echo "# $addr: explicit bundle changed"
			fi
		else
			want_patched=$((want_patched + 1))
			pred=""
			[ "$qp" != 0 ] && pred=$(printf '(p%02d) ' "$qp")
			tag=$(printf '0x%x' "$i")
			l0=$(awk -F'\t' -v a="$addr" '$1 == a { print $2 }' "$work/test.dis")
			l1=$(awk -F'\t' -v a="$(printf '%x' $((0x$addr + 6)))" '$1 == a { print $2 }' "$work/test.dis")
			want1="${pred}brl.call.sptk.many b7=$handler <previrt_test_handler>;;"
			if [ "$l0" != "nop.m $tag" ] || [ "$l1" != "$want1" ]; then
				bad=1
				echo "# $addr: '$l0' / '$l1', expected 'nop.m $tag' / '$want1'"
			fi
		fi
		i=$((i + 1))
	done <"$work/sites"
	if [ $bad = 0 ] && grep -q "^patched $want_patched refused $want_kept " "$work/test.log"; then
		ok "$name: objdump shows $want_patched calls to the handler at 0x$handler with their predicates, $want_kept explicit bundles untouched"
	else
		not_ok "$name: patched image as objdump decodes it (want $want_patched patched, $want_kept kept; $(cat "$work/test.log"))"
	fi

	# A patched sled is no longer what the plugin wrote: it must be refused
	# (and the explicit bundles are refused again: no room).
	./ia64-image patch "$work/test.elf" "$work/twice.elf" test previrt_test_handler >"$work/twice.log" 2>&1
	if grep -q "^patched 0 refused $((want_patched + want_kept)) " "$work/twice.log" &&
	   cmp -s "$work/test.elf" "$work/twice.elf"; then
		ok "$name: patching again refuses every patched sled ($(cat "$work/twice.log"))"
	else
		not_ok "$name: second patch ($(cat "$work/twice.log"))"
	fi
}
