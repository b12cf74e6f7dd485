#!/bin/sh
# Native boot-time ratio of a pre-virtualized Linux: the kernels of the Kbuild
# matrix cell tinyconfig-boot:x86_64 (built by it, cached), booted under QEMU
# TCG to the end of the busybox /init, alternately, BENCH_BOOTS times each;
# prints the median wall time of each and the ratio previrt=native / plain.
set -eu
cache=${PREVIRT_CACHE:-/var/cache/previrt}
arch=${BENCH_ARCH:-x86_64}
boots=${BENCH_BOOTS:-5}
dir=$cache/kbuild/tinyconfig-boot-$arch
initrd=$cache/kbuild/initramfs-$arch.cpio.gz
for f in "$dir/arch/x86/boot/bzImage" "$dir-plain/arch/x86/boot/bzImage" "$initrd"; do
	[ -f "$f" ] || { echo "bench/linux-boot: $f missing: run make check (or check-matrix) first" >&2; exit 1; }
done
if [ "$arch" = i386 ]; then qemu=qemu-system-i386; else qemu=qemu-system-x86_64; fi
boot() {
	b0=$(date +%s%N)
	timeout 300 $qemu -nographic -no-reboot -m 256 -net none -kernel "$1" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 $2" >"$3" 2>&1 </dev/null
	grep -q PREVIRT-INITRAMFS-MARKER "$3" || { echo "bench/linux-boot: no marker, see $3" >&2; exit 1; }
	echo $(( ($(date +%s%N) - b0) / 1000000 ))
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
pv="" plain=""
i=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while [ $i -lt "$boots" ]; do
	pv="$pv $(boot "$dir/arch/x86/boot/bzImage" previrt=native "$log")"
	plain="$plain $(boot "$dir-plain/arch/x86/boot/bzImage" "" "$log")"
	i=$((i + 1))
done
m_pv=$(echo $pv | tr ' ' '\n' | median)
m_plain=$(echo $plain | tr ' ' '\n' | median)
echo "bench/linux-boot: Linux 6.1 $arch tinyconfig-boot under QEMU TCG, $boots boots each"
echo "boot ms, previrt=native: $pv (median $m_pv)"
echo "boot ms, plain kernel:   $plain (median $m_plain)"
awk -v a="$m_plain" -v b="$m_pv" 'BEGIN { printf "native boot-time ratio (previrt/plain): %.3f\n", b / a }'
