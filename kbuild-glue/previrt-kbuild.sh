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
arch=x86_64 out="" config=tinyconfig-boot plain=0 jobs=$(nproc) plugin="" rtsrc="" asdir=""
while getopts "a:o:c:nj:P:R:A:h" opt; do
	case $opt in
	a) arch=$OPTARG ;;
	o) out=$OPTARG ;;
	c) config=$OPTARG ;;
	n) plain=1 ;;
	j) jobs=$OPTARG ;;
	P) plugin=$OPTARG ;;
	R) rtsrc=$OPTARG ;;
	A) asdir=$OPTARG ;;
	h) sed -n '2,36p' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "previrt-kbuild: usage: previrt-kbuild [options] LINUX_SRC [targets]" >&2; exit 2; }
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
kmake() { make -s -C "$src" O="$out" ARCH="$karch" -j"$jobs" "$@"; }

# --- 1. configuration
case $config in
keep) [ -f "$out/.config" ] || { echo "previrt-kbuild: -c keep but no $out/.config" >&2; exit 2; } ;;
tinyconfig-boot)
	if [ ! -f "$out/.previrt-config" ] || [ "$(cat "$out/.previrt-config")" != "$arch tinyconfig-boot" ]; then
		kmake tinyconfig >/dev/null
		if [ "$arch" = x86_64 ]; then bits="-e 64BIT"; else bits="-d 64BIT -e X86_PAE"; fi
		# shellcheck disable=SC2086
		"$src/scripts/config" --file "$out/.config" $bits -e PRINTK -e TTY -e SERIAL_8250 \
			-e SERIAL_8250_CONSOLE -e BLK_DEV_INITRD -e RD_GZIP -e BINFMT_ELF \
			-e BINFMT_SCRIPT -e PROC_FS -e SYSFS -e DEVTMPFS -e DEVTMPFS_MOUNT
		kmake olddefconfig >/dev/null
		echo "$arch tinyconfig-boot" >"$out/.previrt-config"
	fi ;;
*) cp "$config" "$out/.config"; kmake olddefconfig >/dev/null ;;
esac

if [ $plain = 1 ]; then
	echo "previrt-kbuild: $arch, no plugin: make $targets"
	kmake KCFLAGS= $targets
	exit 0
fi

pflag=${plugin:+-fplugin=$plugin}
pflag=${pflag:--fplugin=previrt}
kcflags="$pflag -fplugin-arg-previrt-report=$out/previrt-report.txt"
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
kmake KCFLAGS="$kcflags" KAFLAGS="$kaflags" prepare >/dev/null
kmake KCFLAGS="$kcflags" KAFLAGS="$kaflags" init/main.o >/dev/null
# The compile is what stands before the first ';' (objtool follows it).
cmd=$(sed -n 's/^cmd_init\/main\.o := //p' "$out/init/.main.o.cmd" | sed 's/ ; .*//')
[ -n "$cmd" ] || { echo "previrt-kbuild: no command line in $out/init/.main.o.cmd" >&2; exit 1; }
# Drop the plugin (the patcher must not patch itself), dependency output,
# per-file names and the input/output.
flags=$(printf '%s\n' "$cmd" | tr ' ' '\n' | grep -v -e '^-fplugin' -e '^-Wp,-MMD' \
	-e '^-DKBUILD_MODFILE=' -e '^-DKBUILD_BASENAME=' -e '^-DKBUILD_MODNAME=' \
	-e '^-D__KBUILD_MODNAME=' -e 'init/main\.[co]$' -e '^-o$' -e '^-c$' -e '^$' | tr '\n' ' ')
cc=${flags%% *}
flags=${flags#* }

# --- 3. the runtime, compiled as kernel code
# What links into a kernel is libprevirt's core_sources (its Makefile.am), or
# the list installed beside this script.
if [ -n "${PREVIRT_KERNEL_SOURCES:-}" ]; then
	sources=$PREVIRT_KERNEL_SOURCES
elif [ -f "$rtsrc/kernel-sources.list" ]; then
	sources=$(cat "$rtsrc/kernel-sources.list")
else
	sources=$(awk '/^core_sources[ \t]*=/ { on = 1 } on { sub(/^core_sources[ \t]*=/, ""); line = $0;
		cont = sub(/\\$/, "", line); printf "%s ", line; if (!cont) exit }' "$rtsrc/Makefile.am")
fi
[ -n "$(echo $sources)" ] || { echo "previrt-kbuild: no runtime source list in $rtsrc" >&2; exit 1; }
if [ "$arch" = x86_64 ]; then dispatch=dispatch-x86_64.S; else dispatch=dispatch-i386.S; fi
objdir=$out/previrt
rm -rf "$objdir"; mkdir -p "$objdir"
objs=""
cd "$out"
if [ "$arch" = x86_64 ]; then m=-m64; else m=-m32; fi
for f in $sources $dispatch "$glue/linux/previrt-linux.c"; do
	case $f in /*) path=$f ;; *) path=$rtsrc/$f ;; esac
	o=$objdir/$(basename "$f" | sed 's/\.[cS]$/.o/')
	case $f in
	*.S)	# The dispatcher is plain assembly: no kernel headers, no C flags.
		$cc $m -D__ASSEMBLY__ -DPREVIRT_FREESTANDING -DPREVIRT_LINUX -I"$incdir" -I"$rtsrc" \
			-Wa,--noexecstack -c "$path" -o "$o" ;;
	*)	# shellcheck disable=SC2086
		$cc $flags -DPREVIRT_FREESTANDING -DPREVIRT_LINUX -D__KBUILD_MODNAME=kmod_previrt \
			-DKBUILD_MODNAME='"previrt"' -DKBUILD_BASENAME='"previrt"' \
			-I"$glue/shim" -I"$incdir" -I"$rtsrc" -Wno-missing-prototypes \
			-Wno-declaration-after-statement -Wno-strict-prototypes \
			-c "$path" -o "$o" ;;
	esac || { echo "previrt-kbuild: compiling $f failed" >&2; exit 1; }
	objs="$objs $o"
done
# shellcheck disable=SC2086
ld -r $( [ "$arch" = x86_64 ] && echo -m elf_x86_64 || echo -m elf_i386 ) -o "$objdir/previrt-runtime.o" $objs

# --- 4. the kernel, linked with it
# KBUILD_VMLINUX_LIBS is what link-vmlinux.sh (and only it) puts between
# --start-group and --end-group; an object file there is always linked.
# LDFLAGS_vmlinux would reach the decompressor's link as well.
libs=$(kmake -pn vmlinux 2>/dev/null | sed -n 's/^KBUILD_VMLINUX_LIBS := //p' | tail -n 1)
[ -n "$libs" ] || { echo "previrt-kbuild: cannot read KBUILD_VMLINUX_LIBS from Kbuild" >&2; exit 1; }
echo "previrt-kbuild: $arch: make $targets (KCFLAGS=$kcflags KAFLAGS=$kaflags)"
echo "previrt-kbuild: vmlinux link adds previrt/previrt-runtime.o to: $libs"
# ld places previrt_sites as an orphan section after the read-only data and
# defines __start_/__stop_previrt_sites; its per-object notice is noise here.
kmake KCFLAGS="$kcflags" KAFLAGS="$kaflags" KBUILD_VMLINUX_LIBS="$libs $objdir/previrt-runtime.o" $targets 2>&1 |
	grep -v "orphan section \`previrt_sites'" >&2 || true
[ -f "$out/vmlinux" ] && nm "$out/vmlinux" | grep -q ' previrt_start$' || {
	echo "previrt-kbuild: build failed, or vmlinux lacks the runtime" >&2; exit 1; }
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
size=$(objdump -h "$out/vmlinux" | awk '$2 == "previrt_sites" { print $3 }')
echo "previrt-kbuild: vmlinux: $(( 0x${size:-0} / 12 )) sites in previrt_sites;" \
	"$(awk '$4 ~ /^sites,?$/ { u[$2] = $3; w[$2] = $(NF - 1) } END { for (k in u) { s += u[k]; t += w[k]; n++ }
		printf "plugin: %d sites, %d warnings in %d translation units", s, t, n }' \
	"$out/previrt-report.txt")"
