#!/bin/sh
# Configure and build previrt out of tree in _build (or $PREVIRT_BUILD).
# Reuses an existing configuration; re-runs autoreconf only when needed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PREVIRT_BUILD:-$top/_build}
jobs=${PREVIRT_JOBS:-$(nproc)}

cd "$top"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	echo "build: autoreconf"
	mkdir -p m4
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p "$build"
cd "$build"
if [ ! -f config.status ]; then
	echo "build: configure"
	"$top/configure" -q
fi
echo "build: make -j$jobs"
make -s -j"$jobs"
