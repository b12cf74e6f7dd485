#!/bin/sh
# Build and cache a stage-1 ia64-linux-gnu-gcc (C only, no libc, plugin
# support) from Debian's gcc-12-source and Debian's binutils-ia64-linux-gnu.
#
# Why a stage-1 compiler: previrt only needs to compile kernels and bare test
# programs for IA-64, never to link against a C library, so C without libc is
# the smallest compiler that serves; --enable-plugin is what lets the previrt
# plugin load into it.
#
# Cost: the all-gcc step is the long one (40-70 min wall on these 2-core
# machines); the result is cached under $PREFIX, and a second run that finds
# $PREFIX/bin/ia64-linux-gnu-gcc returns at once.  Timings of each step are
# appended to $PREFIX/build-times.txt so the cost can be quoted.
#
# Usage: tools/build-ia64-cross-gcc.sh [PREFIX]   (default /var/cache/previrt/ia64-gcc)
# Environment: JOBS (default 2), WORK (scratch dir, default /var/tmp/previrt-ia64-gcc-build)
set -eu

PREFIX=${1:-/var/cache/previrt/ia64-gcc}
JOBS=${JOBS:-2}
WORK=${WORK:-/var/tmp/previrt-ia64-gcc-build}
TARGET=ia64-linux-gnu
SRC_TAR=/usr/src/gcc-12/gcc-12.2.0-dfsg.tar.xz

if [ -x "$PREFIX/bin/$TARGET-gcc" ] &&
   [ -d "$("$PREFIX/bin/$TARGET-gcc" -print-file-name=plugin)/include" ]; then
	echo "ia64 cross gcc: cached at $PREFIX"
	exit 0
fi

for tool in as ld ar nm ranlib objdump; do
	command -v "$TARGET-$tool" >/dev/null || {
		echo "ia64 cross gcc: $TARGET-$tool missing (apt-get install binutils-ia64-linux-gnu)" >&2
		exit 1
	}
done
[ -r "$SRC_TAR" ] || {
	echo "ia64 cross gcc: $SRC_TAR missing (apt-get install gcc-12-source)" >&2
	exit 1
}

mkdir -p "$WORK" "$PREFIX"
times="$PREFIX/build-times.txt"
stamp() { date -u +%s; }
step() { # step NAME COMMAND...: run it, record its wall time
	name=$1; shift
	t0=$(stamp)
	"$@"
	echo "$name $(($(stamp) - t0)) s wall, jobs=$JOBS, $(date -u +%FT%TZ)" >>"$times"
}

if [ ! -d "$WORK/gcc-12.2.0" ]; then
	step unpack tar -C "$WORK" -xJf "$SRC_TAR"
fi

mkdir -p "$WORK/build"
cd "$WORK/build"
if [ ! -f Makefile ]; then
	# LTO, multilib, NLS and the target libraries other than libgcc are
	# off: none is needed to compile a kernel, and each costs build time.
	step configure env CFLAGS="-O2 -g0" CXXFLAGS="-O2 -g0" \
		AR_FOR_TARGET="$TARGET-ar" AS_FOR_TARGET="$TARGET-as" \
		LD_FOR_TARGET="$TARGET-ld" NM_FOR_TARGET="$TARGET-nm" \
		RANLIB_FOR_TARGET="$TARGET-ranlib" OBJDUMP_FOR_TARGET="$TARGET-objdump" \
		"$WORK/gcc-12.2.0/configure" --target=$TARGET --prefix="$PREFIX" \
		--with-as="$(command -v $TARGET-as)" --with-ld="$(command -v $TARGET-ld)" \
		--enable-languages=c --without-headers --with-newlib \
		--disable-shared --disable-threads --disable-multilib --disable-nls \
		--disable-lto --disable-libssp --disable-libquadmath --disable-libgomp \
		--disable-libatomic --disable-libitm --disable-libsanitizer \
		--disable-libvtv --disable-libstdcxx --disable-bootstrap \
		--disable-werror --with-system-zlib --enable-plugin
fi

step all-gcc nice -n 10 make -j"$JOBS" all-gcc

# Debian's dfsg tarball replaces gcc/doc/tm.texi.in by a stub, so the
# s-tm-texi rule (which compares the generated tm.texi with the shipped one)
# never settles and install-gcc stops in genhooks.  The documentation is not
# needed, so the stamp is created by hand.
touch gcc/s-tm-texi
step install-gcc make install-gcc

# libgcc is small (about 90 s) and kernels for IA-64 may call its helpers;
# without it the compiler is still usable for -nostdlib objects.
if step all-target-libgcc nice -n 10 make -j"$JOBS" all-target-libgcc; then
	step install-target-libgcc make install-target-libgcc
else
	echo "ia64 cross gcc: libgcc did not build; the compiler is installed without it" >&2
fi

"$PREFIX/bin/$TARGET-gcc" --version | head -1
echo "ia64 cross gcc: installed at $PREFIX"
cat "$times"
