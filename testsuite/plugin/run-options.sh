#!/bin/sh
# Plugin arguments and refusals: each case is one TAP line.
set -u
: "${CC:=gcc}"
: "${CXX:=g++}"
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

# werror turns every note about code left alone into an error naming file:line.
check "werror: unknown.c fails with errors naming file:line" sh -c '
	! '"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-werror -c '"$srcdir"'/warn/unknown.c -o '"$work"'/u.o 2>'"$work"'/e &&
	grep -q "unknown.c:14:[0-9]*: error: previrt: raw bytes" '"$work"'/e &&
	grep -q "unknown.c:18:[0-9]*: error: previrt: asm macro" '"$work"'/e &&
	test ! -e '"$work"'/u.o'
check "without werror the same file builds; its 4 diagnostics are 3 notes, one per kind" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -c '"$srcdir"'/warn/unknown.c -o '"$work"'/u.o 2>'"$work"'/e &&
	test "$(grep -c "note: previrt:" '"$work"'/e)" = 3 && ! grep -q "warning: previrt:" '"$work"'/e &&
	grep -q "unknown.c:14:[0-9]*: note: previrt: raw bytes.*\[raw-bytes: 2 in this unit" '"$work"'/e'

# Issue 12 item 10: what previrt says about code it leaves alone must not
# break a -Werror build; it is grouped, one note per kind with a count.
la=$srcdir/warn/leftalone.c
for m in 64 32; do
	check "-m$m -Werror: leftalone.c builds, previrt says only notes" sh -c '
		'"$CC"' -m'$m' -O2 -Wall -Werror -fplugin='"$PLUGIN"' -c '"$la"' -o '"$work"'/la.o 2>'"$work"'/e &&
		test -s '"$work"'/la.o && ! grep -q "error\|warning" '"$work"'/e'
	check "-m$m: one note per kind, each with its count" sh -c '
		'"$CC"' -m'$m' -O2 -Werror -fplugin='"$PLUGIN"' -c '"$la"' -o /dev/null 2>'"$work"'/e &&
		test "$(grep -c "note: previrt:" '"$work"'/e)" = 4 &&
		grep -q "leftalone.c:24:[0-9]*: note: previrt: .cpuid. follows a forced-emulation prefix.*\[forced-emulation: 4 in this unit" '"$work"'/e &&
		grep -q "leftalone.c:44:[0-9]*: note: previrt: asm line 2: .cli. in .code16.*\[real-mode: 2 in this unit" '"$work"'/e &&
		grep -q "leftalone.c:49:[0-9]*: note: previrt: asm line 2: .sti. runs in a section other.*\[other-section: 2 in this unit" '"$work"'/e &&
		grep -q "leftalone.c:55:[0-9]*: note: previrt: raw bytes in code.*\[raw-bytes\]" '"$work"'/e'
	check "-m$m -fplugin-arg-previrt-werror: the same notes are errors, no object" sh -c '
		rm -f '"$work"'/la.o
		! '"$CC"' -m'$m' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-werror -c '"$la"' -o '"$work"'/la.o 2>'"$work"'/e &&
		test "$(grep -c "error: previrt:" '"$work"'/e)" = 4 && test ! -e '"$work"'/la.o'
done
check "the report lists every diagnostic with its line" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-report='"$work"'/rep-la -c '"$la"' -o /dev/null 2>/dev/null &&
	grep -q "leftalone.c: 2 sites vmx=2, 9 warnings" '"$work"'/rep-la &&
	test "$(grep -c "^previrt: .*leftalone.c:[0-9]*: .*forced-emulation: " '"$work"'/rep-la)" = 4 &&
	test "$(grep -c "^previrt: .*leftalone.c:[0-9]*: " '"$work"'/rep-la)" = 9'

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

cat >"$work/many.c" <<'SRC'
void many(void)
{
	asm volatile(".code16\n cli\n sti\n cli\n sti\n cli\n sti\n cli\n sti\n cli\n sti\n hlt\n.code64");
}
SRC
check "more diagnostics in one asm than it keeps: all counted, the rest said" sh -c '
	'"$CC"' -O2 -Werror -fplugin='"$PLUGIN"' -fplugin-arg-previrt-report='"$work"'/rep-many -c '"$work"'/many.c -o /dev/null 2>'"$work"'/e &&
	grep -q "note: previrt: .*\[real-mode: 11 in this unit" '"$work"'/e &&
	grep -q "many.c: 0 sites, 11 warnings" '"$work"'/rep-many &&
	grep -q "many.c:3: asm line [0-9]*: real-mode: and 3 more in this asm, not listed" '"$work"'/rep-many'

check "-m16 code is not annotated, and each instruction is reported" sh -c '
	rm -f '"$work"'/rep16
	'"$CC"' -m16 -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-report='"$work"'/rep16 -c '"$fx"'/irqflags.c -o '"$work"'/m16.o 2>'"$work"'/e &&
	test "$(grep -c "note: previrt: .* real-mode code is not annotated" '"$work"'/e)" = 1 &&
	test "$(grep -c "real-mode: .* real-mode code is not annotated" '"$work"'/rep16)" -ge 9 &&
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

# A prefix that cannot join its instruction's site is refused, by file:line
# (the report lists each diagnostic; stderr groups them).
check "prefix parted from its instruction: each refusal names file:line" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-report='"$work"'/rep-pa -c '"$srcdir"'/warn/prefix-apart.c -o /dev/null 2>/dev/null &&
	grep -q "prefix-apart.c:15: asm line 2: prefix-apart: .insb. is parted from its prefix by a label" '"$work"'/rep-pa &&
	grep -q "prefix-apart.c:16: asm line 3: prefix-apart: .insb. is parted from its prefix by a conditional" '"$work"'/rep-pa &&
	grep -q "prefix-apart.c:17: asm line 3: prefix-apart: .pushf. is parted from its prefix by a directive" '"$work"'/rep-pa &&
	grep -q "prefix-apart.c:18: asm line 2: prefix-apart: a prefix ends the template" '"$work"'/rep-pa'
check "what previrt cannot read as gas does is named by file:line" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -fplugin-arg-previrt-report='"$work"'/rep-gs -c '"$srcdir"'/warn/gas-syntax.c -o /dev/null 2>/dev/null &&
	grep -q "gas-syntax.c:35: unsupported: .\.ascii .* in code" '"$work"'/rep-gs &&
	grep -q "gas-syntax.c:36: unsupported: .\.balign 4, 0xfb. in code" '"$work"'/rep-gs &&
	grep -q "gas-syntax.c:43: asm-macro: asm macro .PV_IRQOFF. holds" '"$work"'/rep-gs &&
	grep -q "gas-syntax.c:44: asm-macro: asm macro .pv_do. builds instructions from its arguments" '"$work"'/rep-gs &&
	grep -q "gas-syntax.c:45: asm line 2: opaque-mnemonic: cannot classify .\\\\i.: it is built from" '"$work"'/rep-gs &&
	grep -q "gas-syntax.c:46: asm line 1: unsupported: .\.intel_syntax. in asm" '"$work"'/rep-gs &&
	grep -q "gas-syntax.c:51: asm line 2: other-section: .sti. is in a section opened without flags" '"$work"'/rep-gs'

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
	grep -q "irqflags.c:[0-9]*:[0-9]*: note: previrt: with -flto this asm is annotated at link time only" '"$work"'/e &&
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
# Assembler options that put gas's own bytes inside sleds are refused by name;
# their harmless values build.
check "-Wa,-mlfence-after-load=yes is refused and named" sh -c '
	! '"$CC"' -O2 -fplugin='"$PLUGIN"' -Wa,-mlfence-after-load=yes -c '"$fx"'/irqflags.c -o '"$work"'/l.o 2>'"$work"'/e &&
	grep -q "assembler option .-mlfence-after-load=yes. is not supported" '"$work"'/e'
check "-Wa,-mbranches-within-32B-boundaries is refused and named" sh -c '
	! '"$CC"' -O2 -fplugin='"$PLUGIN"' -Wa,-mbranches-within-32B-boundaries -c '"$fx"'/seg.c -o '"$work"'/l.o 2>'"$work"'/e &&
	grep -q "assembler option .-mbranches-within-32B-boundaries. is not supported" '"$work"'/e'
check "-Wa,-mlfence-after-load=no and -mlfence-before-ret build" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -Wa,-mlfence-after-load=no,-mlfence-before-ret=or -c '"$fx"'/irqflags.c -o '"$work"'/l.o'

# CPUs without the 0f 1f NOPs: their sleds are padded with 0x90 only.
for march in i486 i586 geode lakemont; do
	check "-m32 -march=$march: no long NOP anywhere in the sleds" sh -c '
		'"$CC"' -m32 -march='"$march"' -O2 -fplugin='"$PLUGIN"' -c '"$fx"'/irqflags.c -o '"$work"'/old.o &&
		objdump -h '"$work"'/old.o | grep -q previrt_sites &&
		! objdump -d '"$work"'/old.o | grep -q "nop[lw]"'
done
check "-m32 -march=i686 keeps the long NOPs" sh -c '
	'"$CC"' -m32 -march=i686 -O2 -fplugin='"$PLUGIN"' -c '"$fx"'/irqflags.c -o '"$work"'/new.o &&
	objdump -d '"$work"'/new.o | grep -q "nopl"'

# A hand-written sled in the form abi.h documents keeps its one record.
cat >"$work/hand.c" <<'SRC'
void hand_cli(void)
{
	asm volatile("8841: cli\n"
		     "8842: .byte 0x0f,0x1f,0x80,0x00,0x00,0x00,0x00\n"
		     "8843:\n"
		     "\t.pushsection previrt_sites, \"a\"\n\t.balign 4\n\t.long 8841b - .\n"
		     "\t.byte 1, 2, 1, 0, 8843b - 8841b, 8842b - 8841b, 0, 0\n\t.popsection");
}
SRC
check "a hand-written sled gets no second record, and no warning" sh -c '
	'"$CC"' -O2 -fplugin='"$PLUGIN"' -c '"$work"'/hand.c -o '"$work"'/hand.o 2>'"$work"'/e &&
	! grep -q previrt '"$work"'/e &&
	objdump -h '"$work"'/hand.o | awk "\$2 == \"previrt_sites\" { print \$3 }" | grep -qx 0000000c'

# The records follow their code: a C++ inline function used by two units
# links at -O0 (the discarded copy takes its record along), and a dead
# function goes with its record under --gc-sections -z start-stop-gc.
printf 'inline void pv_irq_off() { asm volatile("cli"); }\n' >"$work/inl.h"
printf '#include "inl.h"\nvoid pv_a() { pv_irq_off(); }\n' >"$work/ia.cc"
printf '#include "inl.h"\nvoid pv_a();\nint main() { pv_irq_off(); pv_a(); return 0; }\n' >"$work/ib.cc"
check "C++ inline asm in two units links at -O0, one record left" sh -c '
	cd '"$work"' && for u in ia ib; do '"$CXX"' -O0 -fplugin='"$PLUGIN"' -c $u.cc -o $u.o || exit 1; done &&
	'"$CXX"' ia.o ib.o -o iab &&
	readelf -S -W iab | awk "\$2 == \"previrt_sites\" { print \$6 }" | grep -qx 00000c'
cat >"$work/gc.c" <<'SRC'
void pv_dead(void) { asm volatile("cli"); }
void pv_live(void) { asm volatile("sti"); }
int main(int argc, char **argv) { (void)argv; if (argc > 5) pv_live(); return 0; }
SRC
check "--gc-sections -z start-stop-gc drops a dead function and its record" sh -c '
	'"$CC"' -O2 -ffunction-sections -fplugin='"$PLUGIN"' -c '"$work"'/gc.c -o '"$work"'/gc.o &&
	'"$CC"' -Wl,--gc-sections,-z,start-stop-gc '"$work"'/gc.o -o '"$work"'/gc &&
	! nm '"$work"'/gc | grep -q " pv_dead\$" &&
	readelf -S -W '"$work"'/gc | awk "\$2 == \"previrt_sites\" { print \$6 }" | grep -qx 00000c'

echo "1..$n"
[ $failed = 0 ]
