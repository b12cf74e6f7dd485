#!/bin/sh
# SPDX-License-Identifier: MIT
#
# fetch-xen.sh CACHE_DIR: make CACHE_DIR/xen (the uncompressed Xen 4.17
# hypervisor image that QEMU's -kernel takes) exist, fetching Debian's
# xen-hypervisor-4.17-amd64 with "apt-get download" when it is missing
# (into ./xen-cache when CACHE_DIR cannot be written).
# Nothing is built and nothing is installed: the package is unpacked into
# the cache with dpkg -x.  Prints the image's path on success.
#
# Exit status: 0 with the path printed; 77 (automake's "skip") when the
# package cannot be had on this machine (no apt, no network), so that a
# caller can say so rather than fail for a reason outside the project.
set -eu

cache=${1:-${PREVIRT_XEN_CACHE:-/var/cache/previrt/xen}}
pkg=xen-hypervisor-4.17-amd64
image=$cache/xen

if [ -s "$image" ]; then
	echo "$image"
	exit 0
fi

# An unwritable cache (no root): keep the image in the build tree instead.
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
	cache=$(pwd)/xen-cache
	image=$cache/xen
	if [ -s "$image" ]; then
		echo "$image"
		exit 0
	fi
	mkdir -p "$cache"
fi
work=$(mktemp -d "$cache/fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! command -v apt-get >/dev/null 2>&1; then
	echo "fetch-xen: no apt-get on this machine" >&2
	exit 77
fi
# A machine whose packages were installed long ago may have no package
# lists: refresh them once (as root) before giving up.
if ! (cd "$work" && apt-get download "$pkg") >&2 &&
   ! { [ "$(id -u)" = 0 ] && apt-get update -q >&2 && (cd "$work" && apt-get download "$pkg") >&2; }; then
	echo "fetch-xen: apt-get download $pkg failed (no network, or no such package)" >&2
	exit 77
fi
dpkg -x "$work"/"$pkg"_*.deb "$work/root"
gz=$(ls "$work"/root/boot/xen-4.17-amd64.gz 2>/dev/null || ls "$work"/root/boot/xen-*.gz | head -n 1)
gunzip -c "$gz" > "$work/xen"
# Keep the package's version next to the image, for the logs.
dpkg-deb -f "$work"/"$pkg"_*.deb Version > "$cache/version"
mv "$work/xen" "$image"
echo "$image"
