#!/bin/sh
# Print the path of an unpacked Debian linux-source-6.1 tree, unpacking it
# into the cache once (about a minute). The tree is only ever read: builds
# use O= directories, so it stays clean and shared.
set -eu
cache=${PREVIRT_CACHE:-/var/cache/previrt}
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
if [ -z "$tarball" ]; then
	echo "linux-tree: /usr/src/linux-source-6.1.tar.* missing: apt-get install linux-source-6.1" >&2
	exit 1
fi
tree=$cache/linux-source-6.1
if [ ! -f "$tree/.unpacked" ] || [ "$tarball" -nt "$tree/.unpacked" ]; then
	mkdir -p "$cache"
	rm -rf "$tree"
	echo "linux-tree: unpacking $tarball" >&2
	tar -C "$cache" -xf "$tarball"
	touch "$tree/.unpacked"
fi
echo "$tree"
