#!/bin/sh
# Install what previrt needs on Debian 12, as root. Idempotent: packages that
# are already there are not fetched again, so a warm machine pays nothing.
set -eu

PACKAGES="build-essential gcc-12-plugin-dev g++ check pkg-config autoconf automake
libtool binutils-dev gcc-multilib libxen-dev qemu-system-x86 busybox-static
cpio xz-utils bc bison flex libelf-dev libssl-dev python3
linux-source-6.1 binutils-ia64-linux-gnu gcc-12-source libgmp-dev libmpfr-dev libmpc-dev
clang-14 libclang-rt-14-dev llvm-14 clang llvm
gcc-11 g++-11 gcc-11-plugin-dev gcc-11-multilib
debhelper dpkg-dev fakeroot lintian debootstrap man-db groff-base"
# clang and its runtime (libFuzzer, the sanitizers, profiling) build the fuzz
# targets; llvm-profdata and llvm-cov report their coverage (make fuzz-coverage).
# gcc-11 (with its plugin headers, g++ and -m32 libraries): previrt.so is
# built and tested for each GCC Debian 12 ships. debhelper..debootstrap:
# the Debian packages, lintian, and the clean root they are installed into
# (scripts/test.sh); man-db and groff render the man pages in the tests.

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
cache=${PREVIRT_CACHE:-/var/cache/previrt}
bb386=$cache/busybox-i386/bin/busybox
xen_image=$cache/xen/xen
if [ -z "$missing" ] && [ -x "$bb386" ] && [ -s "$xen_image" ]; then
	echo "setup-deps: all packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup-deps: missing packages:$missing${missing:+; }run as root (or install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
	echo "setup-deps: installing$missing"
	# A foreign architecture left behind (dpkg --add-architecture) can make
	# update exit non-zero for lists that do not exist; what it did fetch is
	# enough for the install, which does fail loudly if a package is missing.
	apt-get update -q || echo "setup-deps: apt-get update reported errors; installing anyway" >&2
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing
fi

# The i386 Linux cells boot an initramfs with Debian's i386 busybox-static
# (testsuite/kbuild/make-initramfs.sh). Only its package file is needed,
# unpacked into the cache: the architecture is added for the download and
# taken away again, so that apt is left as it was (a foreign architecture
# makes apt-get update fail on these machines). Here, not in make check,
# which must not change the machine.
if [ ! -x "$bb386" ]; then
	echo "setup-deps: busybox-static:i386 into $cache/busybox-i386"
	added=0
	if ! dpkg --print-foreign-architectures | grep -qx i386; then
		dpkg --add-architecture i386 && added=1
		apt-get update -q >/dev/null 2>&1 || true
	fi
	mkdir -p "$cache/busybox-i386"
	ok=0
	(cd "$cache/busybox-i386" && apt-get download busybox-static:i386 >/dev/null &&
		dpkg -x busybox-static_*_i386.deb .) && ok=1
	if [ $added = 1 ]; then
		dpkg --remove-architecture i386 && apt-get update -q >/dev/null 2>&1 || true
	fi
	[ $ok = 1 ] || { echo "setup-deps: cannot get busybox-static:i386" >&2; exit 1; }
fi

# The Xen 4.17 image the Xen tests boot under QEMU: Debian's package,
# unpacked into the cache (testsuite/xen/fetch-xen.sh), so that make check
# finds it there instead of fetching it.
if [ ! -s "$xen_image" ]; then
	echo "setup-deps: the Xen image into $cache/xen"
	sh "$(dirname "$0")/../testsuite/xen/fetch-xen.sh" "$cache/xen" >/dev/null ||
		{ echo "setup-deps: cannot get the Xen image" >&2; exit 1; }
fi
