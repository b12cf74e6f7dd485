#!/bin/sh
# The rewriter against gas and previrt-audit, on random templates from
# gas-agree: when gas assembles a template, it must assemble the rewritten
# one too; previrt-audit must find every record on an instruction boundary
# (exit 2 is a record the runtime would refuse: a prefix left outside its
# site, a split statement); and what the audit finds uncovered (exit 1)
# must have drawn a diagnostic. One TAP line per block of seeds.
set -u
: "${AUDIT:?set AUDIT to previrt-audit}"
: "${SEEDS:=1000}"
gen=./gas-agree
work=${TMPDIR:-/tmp}/pv-gas-agree.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
block=100
s=1
while [ "$s" -le "$SEEDS" ]; do
	end=$((s + block - 1)); msg=""; tried=0
	while [ "$s" -le "$end" ]; do
		nd=$($gen "$s" "$work") || { msg="$msg seed $s: generator failed;"; s=$((s + 1)); continue; }
		if as --64 "$work/orig.s" -o "$work/orig.o" 2>/dev/null; then
			tried=$((tried + 1))
			if ! as --64 "$work/new.s" -o "$work/new.o" 2>"$work/err"; then
				msg="$msg seed $s: the rewritten template does not assemble;"
			else
				"$AUDIT" "$work/new.o" >"$work/audit" 2>&1
				rc=$?
				if [ $rc = 2 ]; then
					msg="$msg seed $s: previrt-audit: $(grep error: "$work/audit" | head -n 1);"
				elif [ $rc = 1 ] && [ "$nd" = 0 ]; then
					msg="$msg seed $s: uncovered without a diagnostic;"
				elif [ $rc != 0 ] && [ $rc != 1 ]; then
					msg="$msg seed $s: previrt-audit exit $rc;"
				fi
			fi
		fi
		s=$((s + 1))
	done
	n=$((n + 1))
	if [ -n "$msg" ] || [ "$tried" = 0 ]; then
		echo "not ok $n - seeds $((end - block + 1))..$end ($tried assembled):$msg"
		failed=$((failed + 1))
	else
		echo "ok $n - seeds $((end - block + 1))..$end: $tried templates agree with gas and previrt-audit"
	fi
done
echo "1..$n"
[ "$failed" = 0 ]
