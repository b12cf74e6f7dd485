#!/bin/sh
# IA-64 with the cross compiler (only listed in TESTS when configure found
# one): compile the C fixtures with $IA64_CC and the plugin built for it
# (ia64-plugin/previrt.so), link them with ia64-linux-gnu-ld, and run the same
# image checks as run-asm.sh (ia64-checks.sh) on the result; then build
# libprevirt's IA-64 code for IA-64 (freestanding, -Werror) and link it
# with a boot walk into one image: nothing may be left undefined.
# Prints TAP.
set -u

: "${srcdir:=.}"
: "${IA64_CC:?IA64_CC: the IA-64 cross gcc}"
: "${IA64_AS:=ia64-linux-gnu-as}"
: "${IA64_LD:=ia64-linux-gnu-ld}"
: "${IA64_OBJDUMP:=ia64-linux-gnu-objdump}"
: "${IA64_NM:=ia64-linux-gnu-nm}"
top_srcdir=${top_srcdir:-$srcdir/../..}
plugin=$(pwd)/ia64-plugin/previrt.so

work=$(mktemp -d "${TMPDIR:-/tmp}/previrt-ia64-cc.XXXXXX")
trap 'rm -rf "$work"' EXIT

. "$srcdir/ia64-checks.sh"

echo "# cross gcc: $IA64_CC ($("$IA64_CC" --version | head -1))"
src="$srcdir/cfixtures/kernel.c"
check "kernel.c: compiled by $IA64_CC -O2 with the plugin" \
	"$IA64_CC" -O2 -Wall -Werror -fplugin="$plugin" -fplugin-arg-previrt-report="$work/report" \
	-c "$src" -o "$work/kernel.o"
if [ -s "$work/report" ]; then
	ok "plugin report: $(cat "$work/report")"
else
	not_ok "no plugin report"
fi
check "kernel.c: linked by $IA64_LD" "$IA64_LD" -Ttext=0x100000 -e kernel_entry \
	"$work/kernel.o" -o "$work/kernel.elf"
[ -f "$work/kernel.elf" ] && check_image kernel "$work/kernel.elf" "$srcdir/cfixtures/kernel.expect"

# Without the plugin the same source has no table: the records are the plugin's.
"$IA64_CC" -O2 -c "$src" -o "$work/plain.o" 2>"$work/plain.log"
if [ -f "$work/plain.o" ] && ! "$IA64_OBJDUMP" -h "$work/plain.o" | grep -q previrt_sites; then
	ok "kernel.c without the plugin: no previrt_sites"
else
	not_ok "kernel.c without the plugin"
fi

# The clobbers the plugin adds: a leaf function keeps its ar.pfs.
leaf="$srcdir/cfixtures/leaf.c"
"$IA64_CC" -O2 -c "$leaf" -o "$work/leaf-plain.o" &&
"$IA64_CC" -O2 -fplugin="$plugin" -c "$leaf" -o "$work/leaf.o"
plain_dis=$("$IA64_OBJDUMP" -d --no-show-raw-insn "$work/leaf-plain.o")
dis=$("$IA64_OBJDUMP" -d --no-show-raw-insn "$work/leaf.o")
if ! echo "$plain_dis" | grep -q alloc &&
   echo "$dis" | grep -Eq 'alloc (r[0-9]+)=ar.pfs' &&
   echo "$dis" | grep -Eq 'mov(\.i)? ar.pfs=r[0-9]+'; then
	ok "leaf.c: the plugin's ar.pfs/b7 clobbers make gcc save and restore ar.pfs (no alloc without the plugin)"
else
	not_ok "leaf.c: ar.pfs not saved around the site"
	echo "$dis" | sed 's/^/# /'
fi

# libprevirt's IA-64 half, built for IA-64, linked with a boot walk.
objs=""
for f in ia64-bundle ia64-sled ia64-patch; do
	check "libprevirt/$f.c: compiled for IA-64 (freestanding, -Werror)" \
		"$IA64_CC" -std=c11 -O2 -ffreestanding -fno-builtin -Wall -Wextra -Werror \
		-I"$top_srcdir/include" -I"$top_srcdir/libprevirt" \
		-c "$top_srcdir/libprevirt/$f.c" -o "$work/$f.o"
	objs="$objs $work/$f.o"
done
check "libprevirt/ia64-flush.S: assembled by $IA64_CC" \
	"$IA64_CC" -c "$top_srcdir/libprevirt/ia64-flush.S" -o "$work/ia64-flush.o"
check "boot.c: compiled for IA-64 with the plugin" \
	"$IA64_CC" -std=c11 -O2 -ffreestanding -Wall -Werror -fplugin="$plugin" \
	-I"$top_srcdir/include" -I"$top_srcdir/libprevirt" \
	-c "$srcdir/cfixtures/boot.c" -o "$work/boot.o"
# shellcheck disable=SC2086
check "kernel + boot walk + IA-64 runtime: linked with nothing undefined" \
	"$IA64_LD" -Ttext=0x100000 -e previrt_ia64_boot "$work/kernel.o" "$work/boot.o" \
	$objs "$work/ia64-flush.o" -o "$work/boot.elf"
if [ -f "$work/boot.elf" ] &&
   "$IA64_OBJDUMP" -d --no-show-raw-insn "$work/boot.elf" |
	awk '/<pv_ia64_flush_icache_native>:/ { f = 1 } f && /fc|sync\.i|srlz\.i/ { print $NF }' |
	grep -c . | grep -qx 3; then
	ok "boot image: patching flushes through fc, sync.i, srlz.i"
else
	not_ok "boot image: flush routine"
fi
echo "# not run: executing the boot image needs an IA-64 machine or the Ski simulator"

echo "1..$n"
exit $failed
