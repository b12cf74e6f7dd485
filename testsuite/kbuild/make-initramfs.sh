#!/bin/sh
# make-initramfs.sh OUT.cpio.gz ARCH: a busybox initramfs whose /init shows
# the kernel's previrt lines and prints the boot marker, then reboots (with
# QEMU's -no-reboot that ends QEMU with status 0).
#   ARCH x86_64: Debian's busybox-static; i386: the i386 package, which
#   scripts/setup-deps.sh unpacks into the cache.
set -eu
out=$1 arch=${2:-x86_64}
cache=${PREVIRT_CACHE:-/var/cache/previrt}
case $arch in
x86_64) bb=/bin/busybox
	[ -x "$bb" ] && file -L "$bb" 2>/dev/null | grep -q 'x86-64' || bb=$(command -v busybox) ;;
i386)	bb=$cache/busybox-i386/bin/busybox
	# scripts/setup-deps.sh puts it there: fetching it needs a foreign
	# architecture in apt for a moment, which a test must not do.
	[ -x "$bb" ] || { echo "make-initramfs: no i386 busybox at $bb: run scripts/setup-deps.sh (as root, with PREVIRT_CACHE=$cache)" >&2; exit 1; }
	;;
*) echo "make-initramfs: unknown arch $arch" >&2; exit 2 ;;
esac
[ -x "$bb" ] || { echo "make-initramfs: no busybox for $arch" >&2; exit 1; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
cp "$bb" "$root/bin/busybox"
mknod "$root/dev/console" c 5 1
mknod "$root/dev/null" c 1 3
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo "previrt-kbuild: kernel lines:"
/bin/busybox dmesg | /bin/busybox grep 'previrt' | /bin/busybox sed 's/^/  /'
echo "PREVIRT-INITRAMFS-MARKER $(/bin/busybox uname -m) $(/bin/busybox cat /proc/cmdline)"
/bin/busybox reboot -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --owner 0:0 --quiet | gzip -9) >"$out"
