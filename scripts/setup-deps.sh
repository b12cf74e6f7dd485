#!/bin/sh
# Install what previrt needs on Debian 12, as root. Idempotent: packages that
# are already there are not fetched again, so a warm machine pays nothing.
set -eu

PACKAGES="build-essential gcc-12-plugin-dev g++ check pkg-config autoconf automake
libtool binutils-dev gcc-multilib libxen-dev qemu-system-x86 busybox-static
cpio xz-utils bc bison flex libelf-dev libssl-dev python3
linux-source-6.1 binutils-ia64-linux-gnu gcc-12-source libgmp-dev libmpfr-dev libmpc-dev
clang-14 libclang-rt-14-dev llvm-14 clang llvm"
# clang and its runtime (libFuzzer, the sanitizers, profiling) build the fuzz
# targets; llvm-profdata and llvm-cov report their coverage (make fuzz-coverage).

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "setup-deps: all packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "setup-deps: missing packages:$missing; run as root (or install them)" >&2
	exit 1
fi
echo "setup-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# A foreign architecture left behind (dpkg --add-architecture) can make
# update exit non-zero for lists that do not exist; what it did fetch is
# enough for the install, which does fail loudly if a package is missing.
apt-get update -q || echo "setup-deps: apt-get update reported errors; installing anyway" >&2
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
