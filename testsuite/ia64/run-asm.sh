#!/bin/sh
# IA-64, host-only, with the IA-64 binutils and without the cross compiler:
# put each fixture through the plugin's IA-64 rewriter, assemble and link it
# with ia64-linux-gnu-as/ld, then hold what libprevirt's IA-64 code reads
# and writes (ia64-image) against ia64-linux-gnu-objdump's disassembly:
# templates and stops of every bundle, each record's class, slot and
# predicate against the instruction objdump shows in that slot, sled
# checks, the native backend (no byte changes), the test backend (objdump
# must show the long call to the handler, with the predicate), the refusal
# of already patched sleds, and the I-cache flush routine.
# Prints TAP.
set -u

: "${srcdir:=.}"
: "${IA64_AS:=ia64-linux-gnu-as}"
: "${IA64_LD:=ia64-linux-gnu-ld}"
: "${IA64_OBJDUMP:=ia64-linux-gnu-objdump}"
: "${IA64_NM:=ia64-linux-gnu-nm}"
top_srcdir=${top_srcdir:-$srcdir/../..}

work=$(mktemp -d "${TMPDIR:-/tmp}/previrt-ia64.XXXXXX")
trap 'rm -rf "$work"' EXIT

. "$srcdir/ia64-checks.sh"

# Every fixture: the rewrite, then everything the runtime reads of it.
for src in "$srcdir"/fixtures/*.s; do
	name=$(basename "$src" .s)
	expect="$srcdir/fixtures/$name.expect"
	rw="$work/$name.s" obj="$work/$name.o" elf="$work/$name.elf"

	check "$name: rewritten by pv_ia64_rewrite" ./ia64-rewrite-file "$src" "$rw"
	# gas's dependency checker warns about the fixtures' missing srlz; errors fail.
	check "$name: assembled by $IA64_AS -x" "$IA64_AS" -x -W "$rw" -o "$obj"
	check "$name: linked by $IA64_LD" "$IA64_LD" -Ttext=0x100000 -e kernel_entry "$obj" -o "$elf"
	[ -f "$elf" ] || continue

	check_image "$name" "$elf" "$expect"

	# previrt-as, the assembler side, in front of the same as: the same
	# code and the same records as the rewriter above.
	pas="$work/$name.pas.o"
	if [ -n "${PREVIRT_AS_BIN:-}" ]; then
		check "$name: previrt-as --previrt-as=$IA64_AS assembles it" "$PREVIRT_AS_BIN" \
			--previrt-as="$(command -v "$IA64_AS")" -x -W "$src" -o "$pas"
		if [ -f "$pas" ] && "$IA64_OBJDUMP" -d -s "$obj" | tail -n +3 >"$work/a.dump" &&
		   "$IA64_OBJDUMP" -d -s "$pas" | tail -n +3 >"$work/b.dump" &&
		   cmp -s "$work/a.dump" "$work/b.dump"; then
			ok "$name: previrt-as gives the same code and records as pv_ia64_rewrite"
		else
			not_ok "$name: previrt-as gives the same code and records as pv_ia64_rewrite"
			diff "$work/a.dump" "$work/b.dump" | head -n 20 | sed 's/^/# /'
		fi
	else
		echo "# not run: previrt-as vs pv_ia64_rewrite (PREVIRT_AS_BIN unset)"
	fi
done

# The flush patching ends with: fc over the lines, then sync.i, then srlz.i.
if "$IA64_AS" -x "$top_srcdir/libprevirt/ia64-flush.S" -o "$work/flush.o" 2>"$work/flush.log"; then
	seq=$("$IA64_OBJDUMP" -d --no-show-raw-insn "$work/flush.o" |
		grep -Eo '(fc|sync\.i|srlz\.i|br\.ret)[^;]*' | awk '{print $1}' | tr '\n' ' ')
	if [ "$seq" = "fc sync.i srlz.i br.ret.sptk.many " ]; then
		ok "ia64-flush.S assembles to fc, sync.i, srlz.i, return"
	else
		not_ok "ia64-flush.S: sequence '$seq'"
	fi
else
	not_ok "ia64-flush.S does not assemble"; sed 's/^/# /' "$work/flush.log"
fi

echo "1..$n"
exit $failed
