#!/bin/sh
# previrt-kbuild: build a Linux tree pre-virtualized, with no edit to its
# sources.
#
#   previrt-kbuild [options] LINUX_SRC [make targets...]   (default target: bzImage)
#
#   -a ARCH      x86_64 (default) or i386
#   -o DIR       build directory (make O=DIR); default ./previrt-build-ARCH
#   -c CONFIG    "tinyconfig-boot" (default: tinyconfig plus what boots to an
#                initramfs under QEMU), "keep" (use DIR/.config as it is), or a
#                file copied to DIR/.config
#   -n           no plugin and no runtime: the same kernel, native, for comparison
#   -j N         parallel jobs (default: nproc)
#   -P PLUGIN    path of previrt.so (default: -fplugin=previrt, i.e. installed)
#   -R DIR       libprevirt source directory (default: installed data directory)
#   -A DIR       directory whose 'as' is previrt-as (default: installed libexec
#                directory); "none": .S files are assembled as they are
#   -h, --help   this text;  -V, --version   the version
#
# It prints one line per step with its time, and a last line with the
# result: sites by class, the coverage previrt-audit measures, where the
# image is. Everything the steps print goes to DIR/previrt-kbuild.log; when
# a step fails, its last lines and the log's path are printed.
#
# What it does:
#  1. configures O=DIR (the source tree is only read);
#  2. builds init/main.o with KCFLAGS=-fplugin=previrt and takes Kbuild's exact
#     command line for it from DIR/init/.main.o.cmd;
#  3. compiles libprevirt, the backends and previrt-linux.c (the early_param
#     "previrt" hook) with those flags, minus the plugin, into
#     DIR/previrt/previrt-runtime.o;
#  4. builds the targets with KCFLAGS=-fplugin=previrt, KAFLAGS=-B<DIR>/ (gcc
#     then runs <DIR>/as, previrt-as, on every .S whose flags Kbuild builds
#     from KBUILD_AFLAGS; boot/, compressed/ and realmode/ set their own and
#     stay native) and KBUILD_VMLINUX_LIBS set to Kbuild's own value plus that
#     object; ld keeps previrt_sites as an orphan section after the read-only
#     data and defines its bounds;
#  5. writes DIR/previrt/native-only.list for previrt-audit --native-only: the
#     runtime's code, which runs natively by construction.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
# The build replaces this line with the configured version (Makefile.am).
version=$(sed -n 's/^AC_INIT(\[previrt\], \[\([^]]*\)\].*/\1/p' "$here/../configure.ac" 2>/dev/null || true)
usage() {
	cat <<'USAGE'
Usage: previrt-kbuild [OPTION]... LINUX_SRC [TARGET]...
Build the Linux tree LINUX_SRC pre-virtualized, without editing it: every
unit compiled with -fplugin=previrt, the previrt runtime linked into vmlinux.
Default TARGET: bzImage.

  -a ARCH      x86_64 (default) or i386
  -o DIR       build directory (make O=DIR); default ./previrt-build-ARCH
  -c CONFIG    tinyconfig-boot (default: tinyconfig plus what boots to an
               initramfs under QEMU), keep (DIR/.config as it is), or a
               file copied to DIR/.config
  -n           no plugin and no runtime: the same kernel, native, to compare
  -j N         parallel jobs (default: the number of CPUs)
  -P PLUGIN    path of previrt.so (default: the installed one, -fplugin=previrt)
  -R DIR       the runtime's source directory (default: the installed copy)
  -A DIR       directory whose 'as' is previrt-as (default: the installed one);
               "none": .S files are assembled as they are, without sleds
  -h, --help     print this help and exit
  -V, --version  print the version and exit

It prints each step with its time and a last line with the result (sites by
class, coverage, where the image is); the steps' own output goes to
DIR/previrt-kbuild.log, whose last lines are printed when a step fails.
Boot the image with previrt=native (or xen, l4) on the kernel command line.
Exit status: 0 built; 1 a step failed; 2 bad arguments or input.
USAGE
}
for a in "$@"; do
	case $a in
	--help) usage; exit 0 ;;
	--version) echo "previrt-kbuild (previrt) ${version:-unknown}"; exit 0 ;;
	--) break ;;
	--*) echo "previrt-kbuild: unknown option $a" >&2; echo "Try 'previrt-kbuild --help'." >&2; exit 2 ;;
	esac
done
arch=x86_64 out="" config=tinyconfig-boot plain=0 jobs=$(nproc) plugin="" rtsrc="" asdir=""
while getopts "a:o:c:nj:P:R:A:hV" opt; do
	case $opt in
	a) arch=$OPTARG ;;
	o) out=$OPTARG ;;
	c) config=$OPTARG ;;
	n) plain=1 ;;
	j) jobs=$OPTARG ;;
	P) plugin=$OPTARG ;;
	R) rtsrc=$OPTARG ;;
	A) asdir=$OPTARG ;;
	h) usage; exit 0 ;;
	V) echo "previrt-kbuild (previrt) ${version:-unknown}"; exit 0 ;;
	*) echo "Try 'previrt-kbuild --help'." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "previrt-kbuild: no Linux tree given" >&2; echo "Try 'previrt-kbuild --help'." >&2; exit 2; }
[ -d "$1" ] || { echo "previrt-kbuild: $1: no such directory" >&2; exit 2; }
src=$(cd "$1" && pwd); shift
targets=${*:-bzImage}
out=${out:-$PWD/previrt-build-$arch}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Installed layout: data beside the script; build tree: the source checkout.
glue=${PREVIRT_GLUE_DIR:-$here}
rtsrc=${rtsrc:-${PREVIRT_RUNTIME_SRC:-$glue/../libprevirt}}
incdir=${PREVIRT_INCLUDE_DIR:-$glue/../include}
asdir=${asdir:-${PREVIRT_AS_DIR:-$glue/../tools/as-bin}}
[ -f "$src/Makefile" ] && [ -d "$src/arch/x86" ] || { echo "previrt-kbuild: $src is not a Linux tree" >&2; exit 2; }

case $arch in
x86_64) karch=x86_64 ;;
i386) karch=i386 ;;
*) echo "previrt-kbuild: unsupported arch $arch (x86_64, i386)" >&2; exit 2 ;;
esac
case $config in
keep) [ -f "$out/.config" ] || { echo "previrt-kbuild: -c keep but no $out/.config" >&2; exit 2; } ;;
tinyconfig-boot) ;;
*) [ -f "$config" ] || { echo "previrt-kbuild: -c $config: no such file" >&2; exit 2; } ;;
esac

# Steps: each one's output goes to the log; a line per step on stdout.
log=$out/previrt-kbuild.log
: >"$log"
t_start=$(date +%s)
step_no=0 step_total=4
[ $plain = 1 ] && step_total=2
secs() { s=$(( $(date +%s) - $1 )); [ $s -ge 60 ] && echo "$((s / 60))m$((s % 60))s" || echo "${s}s"; }
step() {	# step NAME: the next step begins
	[ -z "${step_name:-}" ] || echo "previrt-kbuild: [$step_no/$step_total] $step_name: $(secs "$step_t")"
	step_no=$((step_no + 1)) step_name=$1 step_t=$(date +%s)
	echo "=== [$step_no/$step_total] $step_name" >>"$log"
	step_line=$(wc -l <"$log")
}
fail() {	# fail WHY: the step failed; show its end and where the rest is
	reported=1
	where="[$step_no/$step_total] $step_name"
	[ "$step_no" -le "$step_total" ] || where=$step_name
	echo "previrt-kbuild: $where: FAILED after $(secs "$step_t"): $1" >&2
	echo "previrt-kbuild: the step's last lines:" >&2
	tail -n +"$((step_line + 1))" "$log" | tail -n 25 | sed 's/^/  /' >&2
	echo "previrt-kbuild: the whole log: $log" >&2
	exit 1
}
# Anything else that stops the script (set -e) is reported the same way.
reported=0
on_exit() {
	rc=$?
	[ $rc -eq 0 ] || [ $reported = 1 ] || [ -z "${step_t:-}" ] || fail "a command failed (exit $rc)"
}
trap on_exit EXIT
kmake() { make -s -C "$src" O="$out" ARCH="$karch" -j"$jobs" "$@"; }
klog() { kmake "$@" >>"$log" 2>&1 || fail "make $*"; }

# --- 1. configuration
step "configure $arch ($config) in $out"
case $config in
keep) ;;
tinyconfig-boot)
	if [ ! -f "$out/.previrt-config" ] || [ "$(cat "$out/.previrt-config")" != "$arch tinyconfig-boot" ]; then
		klog tinyconfig
		if [ "$arch" = x86_64 ]; then bits="-e 64BIT"; else bits="-d 64BIT -e X86_PAE"; fi
		# shellcheck disable=SC2086
		"$src/scripts/config" --file "$out/.config" $bits -e PRINTK -e TTY -e SERIAL_8250 \
			-e SERIAL_8250_CONSOLE -e BLK_DEV_INITRD -e RD_GZIP -e BINFMT_ELF \
			-e BINFMT_SCRIPT -e PROC_FS -e SYSFS -e DEVTMPFS -e DEVTMPFS_MOUNT >>"$log" 2>&1 ||
			fail "scripts/config"
		klog olddefconfig
		echo "$arch tinyconfig-boot" >"$out/.previrt-config"
	fi ;;
*) cp "$config" "$out/.config"; klog olddefconfig ;;
esac

image() {	# where the first target's file is, if make left one
	for t in $targets; do
		for f in "$out/arch/x86/boot/$t" "$out/$t"; do
			[ -f "$f" ] && { echo "$f"; return; }
		done
		break
	done
	echo "$out"
}
if [ $plain = 1 ]; then
	step "make $targets, no plugin"
	# shellcheck disable=SC2086
	klog KCFLAGS= $targets
	step ""
	echo "previrt-kbuild: $arch, no plugin: built $(image) in $(secs "$t_start")"
	exit 0
fi

pflag=${plugin:+-fplugin=$plugin}
pflag=${pflag:--fplugin=previrt}
# The plugin's content is part of the command line: Kbuild rebuilds an object
# when its command changes, but not when the plugin at the same path does (a
# cached kernel would then hold the sleds of an older plugin).
pfile=${plugin:-$(gcc -print-file-name=plugin)/previrt.so}
[ -f "$pfile" ] || { echo "previrt-kbuild: plugin $pfile not found" >&2; exit 2; }
pid=$(sha256sum "$pfile" | cut -c1-16)
kcflags="$pflag -fplugin-arg-previrt-report=$out/previrt-report.txt -DPREVIRT_PLUGIN_ID=0x$pid"
# The assembler side: previrt-as writes its report lines to the same file.
if [ "$asdir" = none ]; then
	kaflags=""
else
	[ -x "$asdir/as" ] || { echo "previrt-kbuild: no previrt-as at $asdir/as (-A)" >&2; exit 2; }
	asdir=$(cd "$asdir" && pwd)
	# Kbuild rebuilds an object when its command line changes, not when the
	# assembler does: the define carries previrt-as's checksum, so that a new
	# previrt-as reassembles every .S (and only those).
	kaflags="-B$asdir/ -D__PREVIRT_AS_ID=$(cksum <"$asdir/as" | cut -d' ' -f1)"
	PREVIRT_AS_REPORT=$out/previrt-report.txt
	export PREVIRT_AS_REPORT
fi

# --- 2. Kbuild's own command line for a built-in C file
# (The report gets one line per compiled unit; an incremental build appends,
# and the summary keeps the last line of each unit.)
step "Kbuild's compiler command line (make prepare init/main.o)"
klog KCFLAGS="$kcflags" KAFLAGS="$kaflags" prepare
klog KCFLAGS="$kcflags" KAFLAGS="$kaflags" init/main.o
# The compile is what stands before the first ';' (objtool follows it).
cmd=$(sed -n 's/^cmd_init\/main\.o := //p' "$out/init/.main.o.cmd" | sed 's/ ; .*//')
[ -n "$cmd" ] || fail "no command line in $out/init/.main.o.cmd"
# Drop the plugin (the patcher must not patch itself), dependency output,
# per-file names and the input/output.
flags=$(printf '%s\n' "$cmd" | tr ' ' '\n' | grep -v -e '^-fplugin' -e '^-Wp,-MMD' \
	-e '^-DKBUILD_MODFILE=' -e '^-DKBUILD_BASENAME=' -e '^-DKBUILD_MODNAME=' \
	-e '^-D__KBUILD_MODNAME=' -e 'init/main\.[co]$' -e '^-o$' -e '^-c$' -e '^$' | tr '\n' ' ')
cc=${flags%% *}
flags=${flags#* }

# --- 3. the runtime, compiled as kernel code
step "the previrt runtime, compiled with the kernel's flags"
# What links into a kernel is libprevirt's core_sources (its Makefile.am), or
# the list installed beside this script.
if [ -n "${PREVIRT_KERNEL_SOURCES:-}" ]; then
	sources=$PREVIRT_KERNEL_SOURCES
elif [ -f "$rtsrc/kernel-sources.list" ]; then
	sources=$(cat "$rtsrc/kernel-sources.list")
else
	sources=$(awk -f "$glue/core-sources.awk" "$rtsrc/Makefile.am")
fi
[ -n "$(echo $sources)" ] || fail "no runtime source list in $rtsrc"
for f in $sources; do
	[ -f "$rtsrc/$f" ] || case $f in /*) [ -f "$f" ] ;; *) false ;; esac ||
		fail "runtime source $f (from $rtsrc's list) is not a file"
done
if [ "$arch" = x86_64 ]; then dispatch=dispatch-x86_64.S; else dispatch=dispatch-i386.S; fi
objdir=$out/previrt
rm -rf "$objdir"; mkdir -p "$objdir"
objs=""
cd "$out"
if [ "$arch" = x86_64 ]; then m=-m64; else m=-m32; fi
# reloc-pool.S empty: native-relocate's stubs need 64 KiB of text that
# every kernel would carry; with none, previrt=native-relocate refuses.
for f in $sources $dispatch reloc-pool.S "$glue/linux/previrt-linux.c"; do
	case $f in /*) path=$f ;; *) path=$rtsrc/$f ;; esac
	o=$objdir/$(basename "$f" | sed 's/\.[cS]$/.o/')
	case $f in
	*.S)	# The dispatcher is plain assembly: no kernel headers, no C flags.
		$cc $m -D__ASSEMBLY__ -DPREVIRT_FREESTANDING -DPREVIRT_LINUX -DPREVIRT_RELOC_POOL=0 -I"$incdir" -I"$rtsrc" \
			-Wa,--noexecstack -c "$path" -o "$o" >>"$log" 2>&1 ;;
	*)	# shellcheck disable=SC2086
		$cc $flags -DPREVIRT_FREESTANDING -DPREVIRT_LINUX -D__KBUILD_MODNAME=kmod_previrt \
			-DKBUILD_MODNAME='"previrt"' -DKBUILD_BASENAME='"previrt"' \
			-I"$glue/shim" -I"$incdir" -I"$rtsrc" -Wno-missing-prototypes \
			-Wno-declaration-after-statement -Wno-strict-prototypes \
			-c "$path" -o "$o" >>"$log" 2>&1 ;;
	esac || fail "compiling $f"
	objs="$objs $o"
done
# shellcheck disable=SC2086
ld -r $( [ "$arch" = x86_64 ] && echo -m elf_x86_64 || echo -m elf_i386 ) -o "$objdir/previrt-runtime.o" $objs \
	>>"$log" 2>&1 || fail "ld -r of the runtime"

# --- 4. the kernel, linked with it
# KBUILD_VMLINUX_LIBS is what link-vmlinux.sh (and only it) puts between
# --start-group and --end-group; an object file there is always linked.
# LDFLAGS_vmlinux would reach the decompressor's link as well.
step "make $targets with the plugin, the runtime linked into vmlinux"
libs=$(kmake -pn vmlinux 2>/dev/null | sed -n 's/^KBUILD_VMLINUX_LIBS := //p' | tail -n 1)
[ -n "$libs" ] || fail "cannot read KBUILD_VMLINUX_LIBS from Kbuild"
echo "make $targets (KCFLAGS=$kcflags KAFLAGS=$kaflags)" >>"$log"
echo "the vmlinux link adds previrt/previrt-runtime.o to: $libs" >>"$log"
# ld places previrt_sites as an orphan section after the read-only data and
# defines __start_/__stop_previrt_sites; its per-object notice is noise here.
# shellcheck disable=SC2086
{ kmake KCFLAGS="$kcflags" KAFLAGS="$kaflags" KBUILD_VMLINUX_LIBS="$libs $objdir/previrt-runtime.o" $targets 2>&1 ||
	echo "previrt-kbuild-make-failed"; } | grep -v "orphan section \`previrt_sites'" >>"$log" || true
grep -q '^previrt-kbuild-make-failed$' "$log" && fail "make $targets"
[ -f "$out/vmlinux" ] && nm "$out/vmlinux" | grep -q ' previrt_start$' ||
	fail "vmlinux lacks the runtime (no previrt_start)"
# The audit's native-only list for this kernel: the glue's, plus every code
# symbol of the runtime object (static functions have no previrt_ prefix)
# whose name is unique in vmlinux, so that an entry never names kernel code.
{
	cat "$glue/linux/native-only.list"
	echo "# the runtime's own code symbols, unique in this vmlinux (previrt-kbuild)"
	nm --defined-only "$objdir/previrt-runtime.o" | awk '$2 ~ /^[tT]$/ { print $3 }' | sort -u >"$objdir/rt-syms"
	nm "$out/vmlinux" | awk '{ n[$3]++ } END { for (k in n) if (n[k] == 1) print k }' | sort >"$objdir/unique-syms"
	comm -12 "$objdir/rt-syms" "$objdir/unique-syms" | grep -v -e '^previrt_' -e '^pv_' |
		sed "s/^/symbol /; s/\$/ previrt's runtime (a static function), built without the plugin: it is the patcher/"
	rm -f "$objdir/rt-syms" "$objdir/unique-syms"
} >"$objdir/native-only.list"
step ""
step_name="the result (sites, previrt-audit of vmlinux)"

# --- the result, on one line
size=$(objdump -h "$out/vmlinux" | awk '$2 == "previrt_sites" { print $3 }')
# The report has one line per compiled unit ("previrt: FILE: N sites cli=1
# ..., W warnings"); a unit built twice counts once, with its last line.
# The classes come largest first; the last line is the number of units.
by_class=$(awk '$4 ~ /^sites,?$/ { line[$2] = $0 }
	END { for (k in line) { n = split(line[k], f, " "); u++
		for (i = 5; i <= n; i++) if (f[i] ~ /=/) { split(f[i], kv, "="); sub(/,$/, "", kv[2]); c[kv[1]] += kv[2] } }
	      for (k in c) printf "%d %s=%d\n", c[k], k, c[k]; printf "0 in %d units\n", u + 0 }' \
	"$out/previrt-report.txt" 2>/dev/null | sort -k1,1nr -k2 | cut -d' ' -f2- | tr '\n' ' ' | sed 's/ $//')
audit=${PREVIRT_AUDIT:-$(command -v previrt-audit || true)}
coverage="not measured (no previrt-audit in PATH)"
if [ -n "$audit" ] && [ -x "$audit" ]; then
	# Exit 1 means uncovered instructions: the figure says how many.
	arc=0
	"$audit" -q --native-only="$objdir/native-only.list" "$out/vmlinux" >"$out/previrt-audit.txt" 2>&1 || arc=$?
	coverage=$(awk '$1 == "total" { printf "%d of %d sensitive instructions in sleds", $2, $2 + $3 }' \
		"$out/previrt-audit.txt" | head -n 1)
	[ $arc -le 1 ] && [ -n "$coverage" ] ||
		coverage="previrt-audit failed (exit $arc, see $out/previrt-audit.txt)"
fi
echo "previrt-kbuild: $arch: $(( 0x${size:-0} / 12 )) sites in vmlinux (${by_class:-no plugin report});" \
	"coverage: $coverage; image: $(image); $(secs "$t_start")"
