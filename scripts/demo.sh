#!/bin/sh
# The main job: set up, build and install previrt, pre-virtualize a sample
# program, show its sites and audit it, boot the conformance guest on QEMU
# (previrt=native) and on Xen (previrt=xen), its i386 build on L4 when
# L4_PISTACHIO names a Pistachio build (previrt=l4), then build Debian's Linux 6.1
# pre-virtualized and boot it; say what happened at each step.
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

step "audit: previrt-audit on both builds"
"$build/tools/previrt-audit" --allow-uncovered "$out/e2e-previrt" | sed -n '/^uncovered/,$p'
echo "(the one left is glibc's _start in crt1.o, not built with the plugin)"
echo "--- the same program built without the plugin:"
if "$build/tools/previrt-audit" "$out/e2e-plain" >"$out/audit-plain.txt"; then
	echo "audit found nothing uncovered in the plain build: wrong"; exit 1
fi
sed -n '/^summary/,$p' "$out/audit-plain.txt"

guest=$build/testsuite/guest/previrt-guest
step "the conformance guest: one image ($(basename "$guest"), $(stat -c %s "$guest") bytes), QEMU, previrt=native"
(cd "$out" && GUEST=$guest sh "$top/testsuite/guest/run-guest-qemu" guest-native "previrt=native") |
	grep -E '^(not ok|# previrt|# .*QEMU ran)' || true
grep -E '^[0-9]+ passed, [0-9]+ failed' "$out/guest-native.serial" | tail -n 1

step "the same image on Xen 4.17 (dom0 under QEMU), previrt=xen"
if xen=$(sh "$top/testsuite/xen/fetch-xen.sh"); then
	(cd "$out" && GUEST=$guest XEN=$xen GUEST_TIMEOUT=180 \
		sh "$top/testsuite/guest/run-guest-qemu" guest-xen "previrt=xen") |
		grep -E '^(not ok|# previrt|# .*QEMU ran)' || true
	tr -d '\r' <"$out/guest-xen.serial" | sed -E 's/^\(d[0-9]+\) //' |
		grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1
else
	echo "Xen could not be fetched on this machine: not run"
fi

guest32=$build/testsuite/guest/previrt-guest32
step "the i386 build ($(basename "$guest32")) on L4Ka::Pistachio under QEMU, previrt=l4"
if [ -n "${L4_PISTACHIO:-}" ] && [ -f "$L4_PISTACHIO/kickstart" ]; then
	(cd "$out" && GUEST=$guest32 QEMU=qemu-system-i386 L4=$L4_PISTACHIO \
		L4_MONITOR=$build/hypervisor/l4/previrt-l4-monitor GUEST_TIMEOUT=180 \
		sh "$top/testsuite/guest/run-guest-qemu" guest32-l4 "previrt=l4") |
		grep -E '^(not ok|# previrt|# .*QEMU ran)' || true
	tr -d '\r' <"$out/guest32-l4.serial" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1
else
	echo "not run: no L4 kernel (set L4_PISTACHIO=DIR to a Pistachio build: doc/l4.md)"
fi

step "Linux 6.1 pre-virtualized (previrt-kbuild), booted with previrt=native"
PLUGIN=$build/gcc-plugin/.libs/previrt.so AUDIT=$build/tools/previrt-audit \
	sh "$top/testsuite/kbuild/matrix.sh" --json "$out/matrix.json" tinyconfig-boot:x86_64:native |
	grep -v '^# \[' | sed 's/^# //'
step "done"
