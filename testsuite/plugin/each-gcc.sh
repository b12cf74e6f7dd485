#!/bin/sh
# The plugin tests with every other GCC configure built previrt.so for
# (PLUGIN_OTHER_GCCS, e.g. gcc-11): the fixtures, the arguments and the
# end-to-end run, each with that gcc and its own previrt.so; and the
# refusal of a plugin built for another GCC, which must name both
# versions. The tests with $CC and its previrt.so are the plain ones.
#
# Prints one TAP stream: each sub-test's lines, renumbered and prefixed
# with the gcc that ran them.
set -u
: "${PLUGIN:?set PLUGIN to the previrt.so of \$CC}"
: "${CC:=gcc}"
: "${srcdir:=.}"
: "${PLUGIN_OTHER_GCCS:=}"
: "${PLUGIN_BUILDDIR:?set PLUGIN_BUILDDIR to the gcc-plugin build directory}"
if [ -z "$PLUGIN_OTHER_GCCS" ]; then
	echo "1..0 # SKIP not run: previrt.so was built for one gcc only (configure found no other gcc-N with its plugin headers and g++; apt-get install gcc-11-plugin-dev g++-11 gcc-11-multilib)"
	exit 0
fi
work=${TMPDIR:-/tmp}/pv-each-gcc.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0

# Runs one TAP test script; its results become ours, prefixed with TAG.
run_tap() {	# run_tap TAG SCRIPT (environment: CC, PLUGIN)
	tag=$1 script=$2
	sh "$script" >"$work/tap" 2>"$work/err"
	rc=$?
	got=0
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1)); got=$((got + 1))
			case $line in "not ok "*) failed=$((failed + 1)); word="not ok" ;; *) word=ok ;; esac
			rest=$(printf '%s\n' "$line" | sed 's/^\(not \)\{0,1\}ok [0-9]* *-\{0,1\} *//')
			echo "$word $n - $tag: $rest" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$work/tap"
	if [ "$got" = 0 ] || { [ $rc -ne 0 ] && [ "$failed" = 0 ]; }; then
		n=$((n + 1)); failed=$((failed + 1))
		echo "not ok $n - $tag: $(basename "$script") ran (exit $rc, $got results)"
		sed 's/^/# /' "$work/err"
	fi
}

main_ver=$($CC -dumpfullversion 2>/dev/null || $CC -dumpversion)
printf 'void f(void) { __asm__ volatile("cli"); }\n' >"$work/x.c"
for w in $PLUGIN_OTHER_GCCS; do
	cc=$(echo "$w" | cut -d: -f1)
	so=$PLUGIN_BUILDDIR/$cc/previrt.so
	ver=$($cc -dumpfullversion 2>/dev/null || $cc -dumpversion)
	for t in run-fixtures.sh run-options.sh run-e2e.sh; do
		CC=$cc CXX=$(echo "$w" | cut -d: -f2) PLUGIN=$so run_tap "$cc $ver" "$srcdir/$t"
	done

	# Each way round: the other gcc's plugin in this gcc is refused with
	# both versions named, and no object is written.
	for pair in "$cc:$PLUGIN:$ver:$main_ver" "$CC:$so:$main_ver:$ver"; do
		into=$(echo "$pair" | cut -d: -f1); p=$(echo "$pair" | cut -d: -f2)
		running=$(echo "$pair" | cut -d: -f3); built=$(echo "$pair" | cut -d: -f4)
		n=$((n + 1))
		rm -f "$work/x.o"
		if $into -c -fplugin="$p" "$work/x.c" -o "$work/x.o" 2>"$work/err"; then
			failed=$((failed + 1))
			echo "not ok $n - the plugin built for gcc $built is refused by $into ($running): it was loaded"
		elif grep -q "built for gcc $built .*gcc $running" "$work/err" && [ ! -e "$work/x.o" ]; then
			echo "ok $n - the plugin built for gcc $built is refused by $into ($running), naming both versions"
		else
			failed=$((failed + 1))
			echo "not ok $n - the plugin built for gcc $built is refused by $into ($running), naming both versions"
			sed 's/^/# /' "$work/err"
		fi
	done
done
echo "1..$n"
[ $failed -eq 0 ]
