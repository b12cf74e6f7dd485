#!/bin/sh
# IA-64 execution under HP's Ski simulator (only listed in TESTS when
# configure found both the IA-64 cross gcc and Ski's bski; Ski is never
# built or shipped by previrt: see doc/ia64.md). Builds ski/guest.c with
# the plugin and libprevirt's IA-64 code, runs it bare at PL0, and checks
# its report and exit status: sites run natively, are patched for the
# test backend with the I-cache flush, and then call the handler (and a
# site whose predicate is false calls nothing). Prints TAP.
set -u

: "${srcdir:=.}"
: "${IA64_CC:?IA64_CC: the IA-64 cross gcc}"
: "${IA64_LD:=ia64-linux-gnu-ld}"
: "${SKI:?SKI: the bski simulator}"
top_srcdir=${top_srcdir:-$srcdir/../..}
plugin=$(pwd)/ia64-plugin/previrt.so

work=$(mktemp -d "${TMPDIR:-/tmp}/previrt-ski.XXXXXX")
trap 'rm -rf "$work"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }

# build OUT [CFLAGS...]: the guest image, or a diagnostic on stdout.
build() {
	out=$1; shift
	inc="-I$top_srcdir/include -I$top_srcdir/libprevirt"
	# The PSR reads stay native (no-classes=pushf): they show what ran.
	# shellcheck disable=SC2086
	"$IA64_CC" -std=gnu11 -O2 -ffreestanding -fno-builtin -Wall -Wextra -Werror $inc \
		-fplugin="$plugin" -fplugin-arg-previrt-no-classes=pushf "$@" \
		-c "$srcdir/ski/guest.c" -o "$work/guest.o" || return 1
	objs=""
	for f in ia64-bundle ia64-sled ia64-patch; do
		# shellcheck disable=SC2086
		"$IA64_CC" -std=c11 -O2 -ffreestanding -fno-builtin $inc \
			-c "$top_srcdir/libprevirt/$f.c" -o "$work/$f.o" || return 1
		objs="$objs $work/$f.o"
	done
	"$IA64_CC" -c "$top_srcdir/libprevirt/ia64-flush.S" -o "$work/flush.o" &&
	"$IA64_CC" -c "$srcdir/ski/start.S" -o "$work/start.o" || return 1
	# One RWX segment at 1 MiB: Ski runs it in physical mode at PL0.
	# shellcheck disable=SC2086
	"$IA64_LD" -N -Ttext=0x100000 -e _start --no-warn-rwx-segments "$work/start.o" \
		"$work/guest.o" $objs "$work/flush.o" -o "$out"
}

if build "$work/guest.elf" >"$work/build.log" 2>&1; then
	ok "guest built with the plugin and libprevirt's IA-64 code"
else
	not_ok "guest build"; sed 's/^/# /' "$work/build.log"
	echo "1..$n"; exit 1
fi

timeout 120 "$SKI" -noconsole -forcesystem "$work/guest.elf" >"$work/run.log" 2>&1
status=$?
sed 's/^/# ski: /' "$work/run.log"
if [ $status = 0 ] && grep -q "^previrt-ski: ok" "$work/run.log"; then
	ok "Ski: native run, $(grep -o 'patched .*' "$work/run.log"), $(grep -o 'handler calls [0-9]*' "$work/run.log"), exit 0"
else
	not_ok "Ski run failed: exit status $status (the guest returns the number of the failed step)"
fi

# Not a verdict on previrt (it depends on how the simulator caches
# decoded bundles), so reported only: the same guest without the flush.
if build "$work/noflush.elf" -DSKI_SKIP_FLUSH >"$work/build2.log" 2>&1; then
	timeout 120 "$SKI" -noconsole -forcesystem "$work/noflush.elf" >"$work/run2.log" 2>&1
	echo "# without fc/sync.i/srlz.i the guest exits with status $? (0: the patch was seen anyway; 6: the stale instruction ran)"
fi

echo "1..$n"
exit $failed
