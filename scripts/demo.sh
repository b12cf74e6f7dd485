#!/bin/sh
# The main job: set up, build and install previrt, pre-virtualize a sample
# program, show its sites and audit it, then boot the conformance guest on
# every backend that exists, and say what happened at each step.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PREVIRT_BUILD:-$top/_build}
out=${PREVIRT_DEMO_OUT:-$top/_demo}
t0=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - t0 ))s] $*"; }

step "dependencies"
sh "$top/scripts/setup-deps.sh"
step "build and install"
sh "$top/scripts/build.sh"
make -s -C "$build" install >/dev/null
echo "installed: $(gcc -print-file-name=plugin)/previrt.so"

mkdir -p "$out"
step "pre-virtualize a program: gcc -fplugin=previrt testsuite/plugin/e2e.c"
gcc -O2 -fplugin=previrt -fplugin-arg-previrt-report -o "$out/e2e-previrt" \
	"$top/testsuite/plugin/e2e.c"
gcc -O2 -o "$out/e2e-plain" "$top/testsuite/plugin/e2e.c"
echo "first sled, as objdump sees it:"
objdump -d --no-show-raw-insn "$out/e2e-previrt" | grep -m1 -A2 -E '\s(pushf|cpuid)\b' | sed 's/^/    /'
echo "sites recorded in previrt_sites: $(( $(objdump -h "$out/e2e-previrt" |
	awk '$2 == "previrt_sites" { print "0x" $3 }') / 12 ))"
echo "running both builds:"
"$out/e2e-previrt" >"$out/e2e-previrt.out"
"$out/e2e-plain" >"$out/e2e-plain.out"
sed 's/^/    /' "$out/e2e-previrt.out"
if cmp -s "$out/e2e-previrt.out" "$out/e2e-plain.out"; then
	echo "same output with and without the plugin"
else
	echo "OUTPUT DIFFERS:"; diff "$out/e2e-plain.out" "$out/e2e-previrt.out"; exit 1
fi

if [ -x "$build/tools/previrt-audit" ]; then
	step "audit: previrt-audit on both builds"
	"$build/tools/previrt-audit" "$out/e2e-previrt" | tail -n 25 || exit 1
	echo "--- the same program built without the plugin:"
	if "$build/tools/previrt-audit" "$out/e2e-plain" >"$out/audit-plain.txt"; then
		echo "audit found nothing uncovered in the plain build: wrong"; exit 1
	fi
	tail -n 12 "$out/audit-plain.txt"
fi

if [ -x "$top/testsuite/guest/run-guest.sh" ] && [ -f "$build/testsuite/guest/previrt-guest.elf" ]; then
	for backend in native; do
		step "conformance guest on QEMU, previrt=$backend"
		sh "$top/testsuite/guest/run-guest.sh" "$build/testsuite/guest/previrt-guest.elf" "$backend" || exit 1
	done
fi
step "done"
