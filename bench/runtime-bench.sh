#!/bin/sh
# make bench-runtime: build the two runtime benchmarks against the hosted
# core (linked statically, as the tests are) and run them.  Each prints
# its figures measured in this run.
set -eu
: "${CC:=cc}" "${top_srcdir:?}" "${top_builddir:?}"
out=${BENCH_OUT:-$top_builddir/bench}
core=$top_builddir/libprevirt/.libs/libprevirt-core.a
inc="-I$top_srcdir/include -I$top_srcdir/libprevirt -I$top_srcdir/testsuite/runtime"
$CC -std=gnu11 -O2 -mno-red-zone $inc -o "$out/runtime-patch" "$top_srcdir/bench/runtime-patch.c" "$core"
$CC -std=gnu11 -O2 -mno-red-zone $inc -o "$out/runtime-sled" "$top_srcdir/bench/runtime-sled.c" "$core"
"$out/runtime-patch" 3000
"$out/runtime-sled"
