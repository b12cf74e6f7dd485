#!/bin/sh
# The test command: set up, build, install, run every test, print a summary.
# Exit status 0 only when everything passed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PREVIRT_BUILD:-$top/_build}
jobs=${PREVIRT_JOBS:-$(nproc)}
t0=$(date +%s)
step() { echo "== [$(( $(date +%s) - t0 ))s] $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
step "dependencies"
sh "$top/scripts/setup-deps.sh"
# The IA-64 cross compiler (about 11 minutes once, then cached): with it,
# configure enables the cross-gcc tests and the ia64 Linux cell; without it
# they are not run, and configure's summary and the test logs say so.
if [ "${PREVIRT_NO_IA64_CC:-0}" = 1 ]; then
	step "ia64 cross gcc: not built (PREVIRT_NO_IA64_CC=1): cross-gcc tests will not run"
else
	step "ia64 cross gcc (tools/build-ia64-cross-gcc.sh, cached)"
	sh "$top/tools/build-ia64-cross-gcc.sh" >"$tmp/ia64-gcc.log" 2>&1 &&
		tail -n 1 "$tmp/ia64-gcc.log" ||
		{ tail -n 20 "$tmp/ia64-gcc.log"; echo "ia64 cross gcc: build FAILED: cross-gcc tests will not run"; }
fi
step "build"
sh "$top/scripts/build.sh"

step "install (previrt.so into gcc's plugin directory)"
make -s -C "$build" install >/dev/null
ldconfig 2>/dev/null || true
printf 'void f(void) { __asm__ volatile("cli"); }\n' >"$tmp/x.c"
if gcc -O2 -fplugin=previrt -fplugin-arg-previrt-report -c "$tmp/x.c" -o "$tmp/x.o" 2>"$tmp/log" &&
   grep -q '1 sites cli=1' "$tmp/log"; then
	echo "installed plugin: 'gcc -fplugin=previrt' works without a path"
	install_ok=1
else
	echo "installed plugin: 'gcc -fplugin=previrt' FAILED"; cat "$tmp/log"
	install_ok=0
fi

# The Debian packages: built, checked by lintian, installed with apt into a
# clean Debian root (debootstrap, cached), and used there: a sample compiled
# with a bare -fplugin=previrt and audited, the man pages. One result.
step "Debian packages (scripts/package-test.sh)"
p0=$(date +%s)
if sh "$top/scripts/package-test.sh" "$build/deb" >"$tmp/package.log" 2>&1; then
	package_ok=1
else
	package_ok=0
fi
grep -E '^(  ok|  FAILED|    [EW]: |package-test: [0-9])' "$tmp/package.log" | sed 's/^/  /' || true
[ $package_ok = 1 ] || tail -n 40 "$tmp/package.log"
echo "  Debian packages: $( [ $package_ok = 1 ] && echo passed || echo FAILED ) in $(( $(date +%s) - p0 ))s (.deb files in $build/deb)"

step "make check"
# Progress as it happens: each directory, each failure, and the Kbuild cell's
# steps (it builds two kernels: the slow part); the whole output goes to a log.
rc=0
{ make -C "$build" -j"$jobs" check 2>&1 || echo "make-check-failed $?"; } | tee "$tmp/check.log" |
	grep --line-buffered -E '^(Making check in|(FAIL|ERROR|XPASS|SKIP):|# [a-z0-9_.-]+: \[[0-9]+s\]|make-check-failed)' |
	grep --line-buffered -v -E '^Making check in (\.|include|doc|bench|kbuild-glue|hypervisor|native|xen)$' |
	sed -u "s/^/  /" || true
grep -q '^make-check-failed' "$tmp/check.log" && rc=1
if [ $rc -ne 0 ]; then
	echo "make check failed; failing logs:"
	find "$build/testsuite" -name '*.log' ! -name test-suite.log -exec grep -l -E '^(FAIL|ERROR)' {} + 2>/dev/null |
		while read -r f; do echo "--- $f"; tail -n 60 "$f"; done
	tail -n 40 "$tmp/check.log"
fi

# The conformance guest, natively and on Xen, case by case.
par=$build/testsuite/xen/guest-parity.log
if [ -f "$par" ]; then
	echo "The conformance guest (one image), natively on QEMU and on Xen 4.17 (testsuite/xen/guest-parity):"
	grep -E '^# ' "$par" | grep -v '^# guest-parity.test:' | sed 's/^# /  /'
fi

# The i386 guest on L4Ka::Pistachio, when configured with a Pistachio build.
l4par=$build/testsuite/l4/guest-l4-parity.log
if [ -f "$l4par" ]; then
	echo "The i386 conformance guest, natively on QEMU and on L4Ka::Pistachio (testsuite/l4/guest-l4-parity):"
	grep -E '^# ' "$l4par" | grep -v '^# guest-l4-parity.test:' | sed 's/^# /  /'
else
	echo "The i386 conformance guest on L4Ka::Pistachio: not run: no L4 kernel (configure --with-l4-pistachio=DIR, doc/l4.md)"
fi

# The pre-virtualized Linux cell: its table and the kernel's own summary line.
kb=$build/testsuite/kbuild/kbuild-cell.log
if [ -f "$kb" ]; then
	echo "Linux 6.1 built with the plugin and booted (testsuite/kbuild):"
	grep -E '^# (tinyconfig|  kernel:|  vmlinux audit:|Linux tree:|cell )' "$kb" | sed 's/^# /  /'
fi

pass=0; fail=0; skip=0
for f in $(find "$build/testsuite" -name test-suite.log); do
	p=$(sed -n 's/^# PASS: *//p' "$f"); x=$(sed -n 's/^# FAIL: *//p' "$f")
	e=$(sed -n 's/^# ERROR: *//p' "$f"); s=$(sed -n 's/^# SKIP: *//p' "$f")
	xp=$(sed -n 's/^# XPASS: *//p' "$f")
	pass=$((pass + ${p:-0})); fail=$((fail + ${x:-0} + ${e:-0} + ${xp:-0})); skip=$((skip + ${s:-0}))
done
pass=$((pass + install_ok + package_ok)); fail=$((fail + 2 - install_ok - package_ok))
# A skipped test is not a pass: count it as a failure.
fail=$((fail + skip))
[ $rc -eq 0 ] || [ $fail -gt 0 ] || fail=1
step "done"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
