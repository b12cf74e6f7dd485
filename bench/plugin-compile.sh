#!/bin/bash
# Compile-time overhead of -fplugin=previrt, and text growth from sleds,
# measured on a real C code base: part of Linux 6.1 (Debian's
# linux-source-6.1), in the x86_64 boot configuration of FACTS/issue 6,
# built once without and once with the plugin in the same run.
#
# Prints CPU seconds (user+sys) of both builds and their ratio, the summed
# size of the code sections of every object and its ratio, and the sites.
set -eu
: "${PLUGIN:?set PLUGIN to previrt.so}"
top=$(cd "$(dirname "$0")/.." && pwd)
# BENCH_LINUX_DIRS=vmlinux measures the whole kernel (about 4x longer).
dirs=${BENCH_LINUX_DIRS:-arch/x86/ kernel/ mm/ lib/ drivers/tty/}
rounds=${BENCH_ROUNDS:-2}
jobs=${PREVIRT_JOBS:-$(nproc)}
cache=${PREVIRT_CACHE:-/var/cache/previrt}
src=$(sh "$top/scripts/linux-tree.sh")

configure() {
	local o=$1
	mkdir -p "$o"
	make -s -C "$src" O="$o" tinyconfig >/dev/null
	"$src/scripts/config" --file "$o/.config" -e 64BIT -e PRINTK -e TTY -e SERIAL_8250 \
		-e SERIAL_8250_CONSOLE -e BLK_DEV_INITRD -e RD_GZIP -e BINFMT_ELF -e BINFMT_SCRIPT \
		-e PROC_FS -e SYSFS -e DEVTMPFS -e DEVTMPFS_MOUNT
	make -s -C "$src" O="$o" olddefconfig >/dev/null
	make -s -C "$src" O="$o" -j"$jobs" prepare >/dev/null 2>&1
}

# Code bytes: every section whose name says text, summed over the objects.
text_bytes() {
	find "$1" -name '*.o' ! -name '*.mod.o' ! -name 'built-in*' -print0 |
		xargs -0 size -A 2>/dev/null |
		awk '$1 ~ /^\.text/ || $1 ~ /\.text$/ { s += $2 } END { print s + 0 }'
}

cpu_build() {	# cpu_build DIR KCFLAGS: prints user+sys seconds
	local o=$1 flags=$2 t
	if [ "$dirs" = vmlinux ]; then
		find "$o" -name '*.o' ! -path '*/scripts/*' ! -path '*/tools/*' -delete
	else
		for d in $dirs; do find "$o/$d" -name '*.o' -delete 2>/dev/null || true; done
	fi
	TIMEFORMAT='%3U %3S'
	t=$( { time make -s -C "$src" O="$o" -j"$jobs" KCFLAGS="$flags" $dirs \
		>"$o/bench.log" 2>&1; } 2>&1 ) || { echo "build failed, see $o/bench.log" >&2; exit 1; }
	echo "$t" | awk '{ printf "%.2f\n", $1 + $2 }'
}

plain=$cache/bench-plain
pv=$cache/bench-previrt
echo "bench/plugin-compile: Linux 6.1 x86_64, dirs: $dirs (-j$jobs)"
[ -f "$plain/.config" ] || configure "$plain"
[ -f "$pv/.config" ] || configure "$pv"

# Alternate the two builds and keep each one's fastest round: the machine
# is shared, and a slower round only ever measures someone else's load.
t_plain="" t_pv=""
i=0
while [ $i -lt "$rounds" ]; do
	a=$(cpu_build "$plain" "")
	rm -f "$pv/report.txt"
	b=$(cpu_build "$pv" "-fplugin=$PLUGIN -fplugin-arg-previrt-report=$pv/report.txt")
	echo "round $((i + 1)): CPU seconds without $a, with $b"
	t_plain=$(awk -v x="$a" -v y="${t_plain:-1e18}" 'BEGIN { print (x < y) ? x : y }')
	t_pv=$(awk -v x="$b" -v y="${t_pv:-1e18}" 'BEGIN { print (x < y) ? x : y }')
	i=$((i + 1))
done
x_plain=$(text_bytes "$plain")
x_pv=$(text_bytes "$pv")
sites=$(awk '{ s += $3 } END { print s + 0 }' "$pv/report.txt")
warns=$(awk '{ for (i = 1; i <= NF; i++) if ($(i+1) == "warnings") s += $i } END { print s + 0 }' "$pv/report.txt")
units=$(wc -l <"$pv/report.txt")

echo "compile CPU seconds (best of $rounds): without plugin $t_plain, with plugin $t_pv"
awk -v a="$t_plain" -v b="$t_pv" 'BEGIN { printf "compile-time ratio (with/without): %.3f\n", b / a }'
echo "code bytes (.text*): without $x_plain, with $x_pv"
awk -v a="$x_plain" -v b="$x_pv" -v s="$sites" 'BEGIN {
	printf "text growth ratio: %.4f (+%d bytes, %.1f bytes per site)\n", b / a, b - a, s ? (b - a) / s : 0 }'
echo "sites: $sites in $units translation units, $warns plugin warnings"
