#!/bin/sh
# The Debian packages, built and used as a user would: dpkg-buildpackage
# builds them from the committed tree, lintian checks them (an error fails,
# warnings are listed), and they are installed with apt into a clean
# Debian 12 root (debootstrap, cached), where a sample is compiled with a
# bare -fplugin=previrt (gcc-12 and gcc-11) and audited, and the man pages
# and the tools' --version work.
#
#   sh scripts/package-test.sh [OUTDIR]     as root (chroot, mount)
#
# The .deb files stay in OUTDIR (default: $PREVIRT_BUILD/deb). Prints one
# line per check and "package-test: N passed, M failed"; exit 1 on a failure.
# It changes the host only in $PREVIRT_CACHE/debootstrap (the cached root).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${PREVIRT_BUILD:-$top/_build}
out=${1:-$build/deb}
cache=${PREVIRT_CACHE:-/var/cache/previrt}
jobs=${PREVIRT_JOBS:-$(nproc)}
suite=bookworm
t0=$(date +%s)
say() { echo "package-test: [$(( $(date +%s) - t0 ))s] $*"; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "  ok: $1"; }
bad() { fail=$((fail + 1)); echo "  FAILED: $1"; shift; for f in "$@"; do tail -n 30 "$f" | sed 's/^/    /'; done; }

[ "$(id -u)" = 0 ] || { echo "package-test: run as root (it chroots into a clean root)" >&2; exit 2; }
work=$(mktemp -d)
root=$work/root
mounted=""
cleanup() {
	for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"

# --- 1. build the packages from what git tracks (no build products)
say "dpkg-buildpackage -us -uc -b"
version=$(sed -n '1s/^previrt (\([^)]*\)).*/\1/p' "$top/debian/changelog")
src=$work/previrt-$version
mkdir -p "$src"
(cd "$top" && git ls-files) | tar -C "$top" -cf - -T - | tar -C "$src" -xf -
if (cd "$src" && DEB_BUILD_OPTIONS="parallel=$jobs" dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1; then
	rm -f "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
	mv "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
	ok "dpkg-buildpackage: $(cd "$out" && ls *.deb | tr '\n' ' ')"
else
	bad "dpkg-buildpackage (log: $out/build.log)" "$work/build.log"
	cp "$work/build.log" "$out/build.log"
	echo "package-test: $pass passed, $fail failed"
	exit 1
fi
cp "$work/build.log" "$out/build.log"

# --- 2. lintian: no error; the warnings are listed
say "lintian"
rc=0
lintian --allow-root --fail-on error --tag-display-limit 0 "$out"/*.changes >"$out/lintian.txt" 2>&1 || rc=$?
errors=$(grep -c '^E: ' "$out/lintian.txt" || true)
warnings=$(grep -c '^W: ' "$out/lintian.txt" || true)
if [ $rc -eq 0 ] && [ "$errors" = 0 ]; then
	ok "lintian: no error, $warnings warnings"
else
	bad "lintian: $errors errors (exit $rc; $out/lintian.txt)" "$out/lintian.txt"
fi
grep -E '^(E|W): ' "$out/lintian.txt" | sed 's/^/    /' || true

# --- 3. a clean Debian root, made once with debootstrap and kept as a tarball
# The mirror is the one this machine's apt uses.
mirror() {
	{ sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null
	  sed -n 's/^deb  *\(\[[^]]*\] *\)\{0,1\}\([^ ]*\) .*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null
	} | grep -v -- '-security' | awk '{ print $1 }' | head -n 1
}
base=$cache/debootstrap
tarball=$base/$suite-minbase.tar
mkdir -p "$base/apt-archives/partial"
if [ ! -f "$tarball" ]; then
	m=$(mirror)
	[ -n "$m" ] || { bad "no Debian mirror in this machine's apt sources"; echo "package-test: $pass passed, $fail failed"; exit 1; }
	say "debootstrap --variant=minbase $suite (once; cached in $tarball)"
	d0=$(date +%s)
	if debootstrap --variant=minbase "$suite" "$work/fresh" "$m" >"$work/debootstrap.log" 2>&1; then
		tar -C "$work/fresh" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
		rm -rf "$work/fresh"
		echo "  debootstrap took $(( $(date +%s) - d0 ))s"
	else
		bad "debootstrap $suite from this machine's mirror" "$work/debootstrap.log"
		echo "package-test: $pass passed, $fail failed"
		exit 1
	fi
fi
say "a clean root from $tarball; apt install the packages"
mkdir -p "$root"
tar -C "$root" -xf "$tarball"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$root/proc" && mounted="$root/proc $mounted"
# apt's downloads are kept between runs: a second run fetches nothing.
mount --bind "$base/apt-archives" "$root/var/cache/apt/archives" &&
	mounted="$root/var/cache/apt/archives $mounted"
mkdir -p "$root/tmp/debs"
# Every package but the debug symbols.
for d in "$out"/*.deb; do
	case $d in *-dbgsym_*) ;; *) cp "$d" "$root/tmp/debs/" ;; esac
done
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
	DEBIAN_FRONTEND=noninteractive "$@"; }
if in_root sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/debs/*.deb gcc-11 man-db' \
	>"$work/install.log" 2>&1; then
	ok "apt install ./*.deb into a clean $suite root"
else
	bad "apt install ./*.deb into a clean $suite root" "$work/install.log"
	echo "package-test: $pass passed, $fail failed"
	exit 1
fi

# --- 4. used there as installed
say "compile, audit, man, --version in the clean root"
cat >"$root/tmp/sample.c" <<'EOF'
/* A driver's interrupt-flag save and restore, as kernels write it. */
static inline unsigned long irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("pushf; pop %0; cli" : "=r"(flags) : : "memory");
	return flags;
}
static inline void irq_restore(unsigned long flags)
{
	__asm__ volatile("push %0; popf" : : "r"(flags) : "memory", "cc");
}
int counter;
void bump(void) { unsigned long f = irq_save(); counter++; irq_restore(f); }
EOF
for cc in gcc gcc-11; do
	if in_root sh -c "cd /tmp && $cc -O2 -fplugin=previrt -fplugin-arg-previrt-report -c sample.c -o sample-$cc.o" \
		>"$work/cc.log" 2>&1 && grep -q 'sample.c: 3 sites cli=1 pushf=1 popf=1, 0 warnings' "$work/cc.log"; then
		ok "$cc -fplugin=previrt (bare): $(grep -o 'sample.c: [0-9]* sites[^,]*' "$work/cc.log")"
	else
		bad "$cc -O2 -fplugin=previrt -c sample.c" "$work/cc.log"
	fi
	if in_root previrt-audit "/tmp/sample-$cc.o" >"$work/audit.log" 2>&1 &&
	   grep -q '^verdict: every sensitive instruction is covered' "$work/audit.log"; then
		ok "previrt-audit sample-$cc.o: $(grep '^verdict' "$work/audit.log")"
	else
		bad "previrt-audit sample-$cc.o" "$work/audit.log"
	fi
done
# The assembler side as Kbuild reaches it: gcc -B the installed libexec link.
cat >"$root/tmp/entry.S" <<'ASM'
	.text
	.globl entry
entry:
	swapgs
	cli
	ret
ASM
if in_root sh -c "cd /tmp && gcc -B/usr/libexec/previrt/as/ -c entry.S -o entry.o && previrt-audit entry.o" \
	>"$work/as.log" 2>&1 && grep -q '^verdict: every sensitive instruction is covered' "$work/as.log"; then
	ok "gcc -B/usr/libexec/previrt/as/ -c entry.S (previrt-as): $(grep '^verdict' "$work/as.log")"
else
	bad "gcc -B/usr/libexec/previrt/as/ -c entry.S (previrt-as), previrt-audit entry.o" "$work/as.log"
fi
if in_root sh -c 'MANWIDTH=80 man --warnings previrt-audit' >"$work/man.log" 2>"$work/man.err" &&
   grep -q -- '--ignore-section' "$work/man.log" && [ ! -s "$work/man.err" ] &&
   in_root sh -c 'MANWIDTH=80 man --warnings 7 previrt' >/dev/null 2>>"$work/man.err" &&
   in_root sh -c 'MANWIDTH=80 man --warnings previrt-kbuild' >/dev/null 2>>"$work/man.err" &&
   in_root sh -c 'MANWIDTH=80 man --warnings previrt-as' >/dev/null 2>>"$work/man.err" &&
   [ ! -s "$work/man.err" ]; then
	ok "man previrt-audit, man 7 previrt, man previrt-kbuild, man previrt-as: rendered without warnings"
else
	bad "man previrt-audit (and 7 previrt, previrt-kbuild, previrt-as)" "$work/man.log" "$work/man.err"
fi
if in_root previrt-kbuild --version >"$work/v.log" 2>&1 && grep -q "^previrt-kbuild (previrt) $version" "$work/v.log" &&
   in_root previrt-audit --version >>"$work/v.log" 2>&1 && grep -q "^previrt-audit (previrt) $version" "$work/v.log" &&
   in_root test -f /usr/include/previrt/abi.h -a -f /usr/share/previrt/runtime-src/kernel-sources.list; then
	ok "previrt-kbuild and previrt-audit --version say $version; headers and runtime sources installed"
else
	bad "--version of the installed tools, headers, runtime sources" "$work/v.log"
fi

say "done"
echo "package-test: $pass passed, $fail failed"
[ $fail -eq 0 ]
