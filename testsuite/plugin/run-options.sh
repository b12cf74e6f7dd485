#!/bin/sh
# Plugin arguments and refusals: each case is one TAP line.
set -u
: "${CC:=gcc}"
: "${PLUGIN:?set PLUGIN to previrt.so}"
: "${srcdir:=.}"
work=${TMPDIR:-/tmp}/pv-options.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
check() {	# check NAME: runs the rest, which must succeed
	name=$1; shift
	n=$((n + 1))
	if "$@" >"$work/out" 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"; sed 's/^/# /' "$work/out"; failed=$((failed + 1))
	fi
}
pv() { $CC -O2 -fplugin="$PLUGIN" "$@"; }
fx=$srcdir/fixtures

# werror turns every warning into an error that names file and line.
check "werror: unknown.c fails with errors naming file:line" sh -c '
	! '"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-werror -c '"$srcdir"'/warn/unknown.c -o '"$work"'/u.o 2>'"$work"'/e &&
	grep -q "unknown.c:14:[0-9]*: error: previrt: raw bytes" '"$work"'/e &&
	grep -q "unknown.c:18:[0-9]*: error: previrt: asm macro" '"$work"'/e &&
	test ! -e '"$work"'/u.o'
check "without werror the same file builds, with 4 warnings" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -c '"$srcdir"'/warn/unknown.c -o '"$work"'/u.o 2>'"$work"'/e &&
	test "$(grep -c "warning: previrt:" '"$work"'/e)" = 4'

check "classes=cli keeps only cli sites" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-classes=cli -fplugin-arg-previrt-report -c '"$fx"'/irqflags.c -o /dev/null 2>&1 |
	grep -q "irqflags.c: 2 sites cli=2, 0 warnings"'
check "no-classes=cli,hlt drops them" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-no-classes=cli,hlt -fplugin-arg-previrt-report -c '"$fx"'/irqflags.c -o /dev/null 2>&1 |
	grep -q "irqflags.c: 6 sites sti=2 pushf=2 popf=2, 0 warnings"'
check "report=FILE appends one line per unit" sh -c '
	for f in irqflags pio; do '"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-report='"$work"'/rep -c '"$fx"'/$f.c -o /dev/null || exit 1; done &&
	test "$(wc -l < '"$work"'/rep)" = 2 && grep -q "pio.c: 9 sites pio=9" '"$work"'/rep'
check "unknown argument is refused" sh -c '
	! '"$CC"' -fplugin='"$PLUGIN"' -fplugin-arg-previrt-bogus -c '"$fx"'/pio.c -o /dev/null 2>'"$work"'/e &&
	grep -q "unknown argument .-fplugin-arg-previrt-bogus" '"$work"'/e'
check "unknown class is refused and named" sh -c '
	! '"$CC"' -fplugin='"$PLUGIN"' -fplugin-arg-previrt-classes=cli,nosuch -c '"$fx"'/pio.c -o /dev/null 2>'"$work"'/e &&
	grep -q "unknown class .* at .nosuch" '"$work"'/e'
check "-masm=intel is refused" sh -c '
	! '"$CC"' -masm=intel -fplugin='"$PLUGIN"' -c '"$fx"'/pio.c -o /dev/null 2>'"$work"'/e &&
	grep -q "masm=intel.* is not supported" '"$work"'/e'

check "-m16 code is not annotated, and each instruction is reported" sh -c '
	'"$CC"' -m16 -O2 -fplugin='"$PLUGIN"' -c '"$fx"'/irqflags.c -o '"$work"'/m16.o 2>'"$work"'/e &&
	test "$(grep -c "warning: previrt: .* real-mode code is not annotated" '"$work"'/e)" -ge 9 &&
	! objdump -h '"$work"'/m16.o | grep -q previrt_sites'

cat >"$work/myio.c" <<'SRC'
unsigned int my_mmio_read(const volatile unsigned int *p)
{
	unsigned int v;
	asm volatile("movl %1, %0" : "=r" (v) : "m" (*p));
	return v;
}
SRC
check "device-functions-add tags a new accessor" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-device-functions-add=my_mmio_read -fplugin-arg-previrt-report -c '"$work"'/myio.c -o /dev/null 2>&1 |
	grep -q "1 sites mmio=1"'
check "device-functions replaces the list" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-device-functions=other -fplugin-arg-previrt-report -c '"$fx"'/device.c -o /dev/null 2>&1 |
	grep -q "device.c: 2 sites pio=2, 0 warnings"'

# A prefix that cannot join its instruction's site is refused, by file:line.
check "prefix parted from its instruction: each refusal names file:line" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -c '"$srcdir"'/warn/prefix-apart.c -o /dev/null 2>'"$work"'/e &&
	grep -q "prefix-apart.c:15:[0-9]*: warning: previrt: .asm. line 2: .insb. is parted from its prefix by a label" '"$work"'/e &&
	grep -q "prefix-apart.c:16:[0-9]*: warning: previrt: .asm. line 3: .insb. is parted from its prefix by a conditional" '"$work"'/e &&
	grep -q "prefix-apart.c:17:[0-9]*: warning: previrt: .asm. line 3: .pushf. is parted from its prefix by a directive" '"$work"'/e &&
	grep -q "prefix-apart.c:18:[0-9]*: warning: previrt: .asm. line 2: a prefix ends the template" '"$work"'/e'
check "what previrt cannot read as gas does is named by file:line" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -c '"$srcdir"'/warn/gas-syntax.c -o /dev/null 2>'"$work"'/e &&
	grep -q "gas-syntax.c:35:[0-9]*: warning: previrt: .\.ascii .* in code" '"$work"'/e &&
	grep -q "gas-syntax.c:36:[0-9]*: warning: previrt: .\.balign 4, 0xfb. in code" '"$work"'/e &&
	grep -q "gas-syntax.c:43:[0-9]*: warning: previrt: asm macro .PV_IRQOFF. holds" '"$work"'/e &&
	grep -q "gas-syntax.c:44:[0-9]*: warning: previrt: asm macro .pv_do. builds instructions from its arguments" '"$work"'/e &&
	grep -q "gas-syntax.c:45:[0-9]*: warning: previrt: .asm. line 2: cannot classify .\\\\i.: it is built from" '"$work"'/e &&
	grep -q "gas-syntax.c:46:[0-9]*: warning: previrt: .asm. line 1: .\.intel_syntax. in asm" '"$work"'/e &&
	grep -q "gas-syntax.c:51:[0-9]*: warning: previrt: .asm. line 2: .sti. is in a section opened without flags" '"$work"'/e'

check "an empty classes= list is refused" sh -c '
	! '"$CC"' -fplugin='"$PLUGIN"' -fplugin-arg-previrt-classes= -c '"$fx"'/pio.c -o /dev/null 2>'"$work"'/e &&
	grep -q "previrt-classes=. names no class" '"$work"'/e &&
	! '"$CC"' -fplugin='"$PLUGIN"' -fplugin-arg-previrt-no-classes= -c '"$fx"'/pio.c -o /dev/null 2>'"$work"'/e &&
	grep -q "previrt-no-classes=. names no class" '"$work"'/e'

# -flto: the function passes run in lto1, where only the link can load the
# plugin; top-level asm, rewritten at compile time, must not be rewritten twice.
$CC -O2 -I"$top_srcdir/include" -c "$srcdir/site-dump.c" -o "$work/dump.o"
check "-flto at compile time only: each asm left to the link is named" sh -c '
	'"$CC"' -O2 -flto -fplugin='"$PLUGIN"' -c '"$fx"'/irqflags.c -o '"$work"'/lto.o 2>'"$work"'/e &&
	grep -q "irqflags.c:[0-9]*:[0-9]*: warning: previrt: with -flto this asm is annotated at link time only" '"$work"'/e &&
	test "$(grep -c "annotated at link time only" '"$work"'/e)" = 7 &&
	'"$CC"' -O2 -flto -fplugin='"$PLUGIN"' -fplugin-arg-previrt-lto-link -c '"$fx"'/irqflags.c -o '"$work"'/lto.o 2>'"$work"'/e &&
	! grep -q "previrt" '"$work"'/e'
check "-flto with the plugin at compile and link: every site once" sh -c '
	'"$CC"' -O2 -flto -fplugin='"$PLUGIN"' -fplugin-arg-previrt-lto-link -c '"$fx"'/toplevel.c -o '"$work"'/tl.o &&
	'"$CC"' -O2 -flto -fplugin='"$PLUGIN"' -fplugin-arg-previrt-lto-link -c '"$fx"'/irqflags.c -o '"$work"'/irq.o &&
	'"$CC"' -O2 -flto -rdynamic -fplugin='"$PLUGIN"' '"$work"'/tl.o '"$work"'/irq.o '"$work"'/dump.o -o '"$work"'/lto-exe &&
	'"$work"'/lto-exe >'"$work"'/d && '"$CC"' -O2 -fplugin='"$PLUGIN"' -c '"$fx"'/toplevel.c -o '"$work"'/tl0.o &&
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -c '"$fx"'/irqflags.c -o '"$work"'/irq0.o &&
	'"$CC"' '"$work"'/tl0.o '"$work"'/irq0.o '"$work"'/dump.o -o '"$work"'/exe0 && '"$work"'/exe0 >'"$work"'/d0 &&
	sort '"$work"'/d >'"$work"'/d.s && sort '"$work"'/d0 >'"$work"'/d0.s &&
	cmp '"$work"'/d.s '"$work"'/d0.s && ! grep -q "^sites 0$" '"$work"'/d'

echo "1..$n"
[ $failed = 0 ]
