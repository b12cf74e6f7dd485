#!/bin/sh
# The Kbuild regression matrix: Linux 6.1 (Debian's linux-source-6.1) x config x
# architecture x backend. Each cell builds the kernel with previrt-kbuild
# (cached between runs in $PREVIRT_CACHE/kbuild), the same config without the
# plugin, boots the previrt kernel under QEMU with previrt=<backend> and a
# busybox initramfs, and collects: marker reached, the kernel's site summary,
# coverage (previrt-audit with previrt-kbuild's DIR/previrt/native-only.list: every
# sensitive instruction of vmlinux is covered or native-only by construction,
# with its reason; an uncovered one fails the cell), the sites previrt-as put
# into .S files by class, text growth against the plain build, boot time (and the plain
# kernel's, for the ratio). The Linux tree must be byte-identical afterwards.
#
#   matrix.sh [--json FILE] [--tap] CELL...     CELL = config:arch:backend,
#                                               e.g. tinyconfig-boot:x86_64:native
# Environment: PLUGIN (previrt.so), AUDIT (previrt-audit), ASBIN (the directory
# whose 'as' is previrt-as: the .S files get sleds too), top_srcdir.
set -u
: "${PLUGIN:?set PLUGIN to previrt.so}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
top=$(cd "$top_srcdir" && pwd)
here=$top/testsuite/kbuild
cache=${PREVIRT_CACHE:-/var/cache/previrt}
jobs=${PREVIRT_JOBS:-$(nproc)}
json="" tap=0
while [ $# -gt 0 ]; do
	case $1 in
	--json) json=$2; shift 2 ;;
	--tap) tap=1; shift ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || set -- tinyconfig-boot:x86_64:native tinyconfig-boot:i386:native
t0=$(date +%s)
say() { echo "# [$(( $(date +%s) - t0 ))s] $*"; }

src=$(sh "$top/scripts/linux-tree.sh") || exit 1
# The tree is only ever read: prove it. Any file written after this stamp,
# or a file added or removed, is an edit.
stamp=$cache/kbuild/.tree-stamp
mkdir -p "$cache/kbuild"
touch "$stamp"
nfiles_before=$(find "$src" -type f | wc -l)

results=$(mktemp)
trap 'rm -f "$results"' EXIT
n=0 failed=0
for cell in "$@"; do
	n=$((n + 1))
	config=${cell%%:*}; rest=${cell#*:}; arch=${rest%%:*}; backend=${rest#*:}
	dir=$cache/kbuild/$config-$arch
	log=$dir.log
	mkdir -p "$dir"
	: >"$log"
	status=ok why=""
	say "cell $cell: build with the plugin ($dir)"
	if ! PREVIRT_AUDIT=${AUDIT:-} sh "$top/kbuild-glue/previrt-kbuild.sh" -a "$arch" -c "$config" -o "$dir" -j "$jobs" \
		-P "$PLUGIN" -R "$top/libprevirt" ${ASBIN:+-A "$ASBIN"} "$src" bzImage >>"$log" 2>&1; then
		status=FAIL why="build failed"
	fi
	if [ $status = ok ]; then
		say "cell $cell: same config without the plugin ($dir-plain)"
		sh "$top/kbuild-glue/previrt-kbuild.sh" -n -a "$arch" -c "$config" -o "$dir-plain" \
			-j "$jobs" "$src" bzImage >>"$log" 2>&1 || { status=FAIL why="plain build failed"; }
	fi
	sites_img=0 summary="" boot_s=- plain_s=- growth=- cov=-
	if [ $status = ok ]; then
		say "cell $cell: boot under QEMU with previrt=$backend"
		initrd=$cache/kbuild/initramfs-$arch.cpio.gz
		if [ ! -f "$initrd" ] && ! sh "$here/make-initramfs.sh" "$initrd.tmp" "$arch" >>"$log" 2>&1; then
			rm -f "$initrd.tmp"
			status=FAIL why="cannot make the $arch initramfs"
		fi
		[ -f "$initrd.tmp" ] && mv "$initrd.tmp" "$initrd"
	fi
	if [ $status = ok ]; then
		if [ "$arch" = i386 ]; then qemu=qemu-system-i386; else qemu=qemu-system-x86_64; fi
		boot() {	# boot KERNEL APPEND OUT: prints wall seconds
			b0=$(date +%s%N)
			timeout 300 $qemu -nographic -no-reboot -m 256 -net none -kernel "$1" -initrd "$initrd" \
				-append "console=ttyS0 panic=-1 $2" >"$3" 2>&1 </dev/null
			echo "$(( ($(date +%s%N) - b0) / 1000000 ))" | awk '{ printf "%.2f", $1 / 1000 }'
		}
		boot_s=$(boot "$dir/arch/x86/boot/bzImage" "previrt=$backend" "$dir.boot.log")
		plain_s=$(boot "$dir-plain/arch/x86/boot/bzImage" "" "$dir-plain.boot.log")
		summary=$(grep -m1 "previrt: backend $backend:" "$dir.boot.log" | sed 's/^[^p]*previrt:/previrt:/' | tr -d '\r')
		if ! grep -q "PREVIRT-INITRAMFS-MARKER" "$dir.boot.log"; then
			status=FAIL why="marker not reached"
		elif [ -z "$summary" ]; then
			status=FAIL why="no site summary line from the kernel"
		elif ! grep -q "PREVIRT-INITRAMFS-MARKER" "$dir-plain.boot.log"; then
			status=FAIL why="plain kernel did not reach the marker"
		fi
		cat "$dir.boot.log" >>"$log"
		size=$(objdump -h "$dir/vmlinux" | awk '$2 == "previrt_sites" { print $3 }')
		sites_img=$(( 0x${size:-0} / 12 ))
		# Code bytes of every object linked from the kernel's archives: the
		# vmlinux .text section itself is padded to a large alignment. The
		# runtime object comes on top and is reported apart.
		tx() { (cd "$1" && size -A vmlinux.a lib/lib.a arch/x86/lib/lib.a 2>/dev/null |
			awk '$1 ~ /^\.text/ || $1 ~ /\.text$/ { s += $2 } END { print s + 0 }'); }
		rt=$(size -A "$dir/previrt/previrt-runtime.o" | awk '$1 ~ /^\.text/ || $1 ~ /\.text$/ { s += $2 } END { print s + 0 }')
		growth=$(awk -v a="$(tx "$dir-plain")" -v b="$(tx "$dir")" 'BEGIN { printf "%.4f", b / a }')
		summary="$summary; runtime text ${rt} bytes"
		if [ -n "${AUDIT:-}" ] && [ -x "$AUDIT" ]; then
			say "cell $cell: previrt-audit"
			libs=$(cd "$dir" && ls vmlinux.a lib/lib.a arch/x86/lib/lib.a previrt/previrt-runtime.o 2>/dev/null)
			# previrt-kbuild's list for this kernel (the glue's plus the
			# runtime's own static functions), else the glue's alone
			native=$dir/previrt/native-only.list
			[ -f "$native" ] || native=$top/kbuild-glue/linux/native-only.list
			(cd "$dir" && "$AUDIT" --json --native-only="$native" $libs >"$dir.audit.json" 2>>"$log")
			python3 "$here/audit-summary.py" "$src" "$dir.audit.json" >"$dir.audit.txt"
			cov=$(head -n 1 "$dir.audit.txt")
			(cd "$dir" && "$AUDIT" -q --native-only="$native" vmlinux >"$dir.audit-vmlinux.txt" 2>&1)
			cov_img=$(grep '^verdict' "$dir.audit-vmlinux.txt")
			# The native-only list as it applied: entries with their reasons and counts.
			awk '/^native-only by construction/ { on = 1; getline; next } /^[^ ]/ { on = 0 }
				on { r = $0; sub(/.*; /, "", r); n[r]++ }
				END { for (k in n) printf "native-only %d: %s\n", n[k], k }' \
				"$dir.audit-vmlinux.txt" >>"$dir.audit.txt"
			unc_img=$(sed -n 's/^uncovered sensitive instructions: //p' "$dir.audit-vmlinux.txt")
			if [ "${unc_img:-0}" != 0 ]; then
				status=FAIL why="$unc_img sensitive instructions of vmlinux uncovered (not native-only)"
			fi
			if grep -q '^C-uncovered' "$dir.audit.txt"; then
				# The runtime itself is built without the plugin on purpose.
				if grep '^C-uncovered' "$dir.audit.txt" | grep -v ' previrt/' | grep -q .; then
					status=FAIL why="sensitive instructions in C files not covered"
				fi
			fi
		fi
	fi
	# The sites previrt-as gave the .S files, by class (last report line per file).
	if [ -f "$dir/previrt-report.txt" ]; then
		awk '$1 == "previrt:" && $2 ~ /\.S:$/ { line[$2] = $0 }
			END { for (f in line) { n = split(line[f], w, " "); files++
				for (i = 3; i <= n; i++) if (w[i] ~ /^[a-z_]+=[0-9]+,?$/) {
					split(w[i], kv, "="); sub(/,/, "", kv[2]); c[kv[1]] += kv[2]; t += kv[2] } }
				printf ".S sites (previrt-as): %d in %d files:", t, files
				for (k in c) printf " %s=%d", k, c[k]; printf "\n" }' "$dir/previrt-report.txt" >"$dir.as-sites.txt"
		summary="$summary; $(cat "$dir.as-sites.txt")"
	fi
	[ $status = ok ] || failed=$((failed + 1))
	# One line per cell, fields separated by '|' (none of them holds one).
	printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$cell" "$status" "$why" "$sites_img" \
		"$growth" "$boot_s" "$plain_s" "$cov" "$summary" "$log" "${cov_img:-}" >>"$results"
	if [ $status != ok ]; then
		say "cell $cell FAILED: $why; log tail ($log):"
		tail -n 40 "$log" | sed 's/^/#   /'
	fi
	[ $tap = 1 ] && { [ $status = ok ] && echo "ok $n - $cell: $summary" || echo "not ok $n - $cell: $why"; }
done

nfiles_after=$(find "$src" -type f | wc -l)
changed=$(find "$src" -type f -newer "$stamp" | head -n 5)
n=$((n + 1))
if [ "$nfiles_before" = "$nfiles_after" ] && [ -z "$changed" ]; then
	tree="untouched ($nfiles_after files, none written)"
	[ $tap = 1 ] && echo "ok $n - Linux tree untouched: $nfiles_after files, none written during the run"
else
	tree="EDITED: $nfiles_before -> $nfiles_after files; written: $changed"
	failed=$((failed + 1))
	[ $tap = 1 ] && echo "not ok $n - Linux tree was modified: $tree"
fi

echo "#"
echo "# Kbuild regression matrix (Linux 6.1, $(date -u +%F))"
printf '# %-32s %-5s %6s %8s %8s %8s  %s\n' cell status sites text-x boot-s plain-s coverage
while IFS='|' read -r cell status why sites growth boot plain cov summary log covimg; do
	printf '# %-32s %-5s %6s %8s %8s %8s  %s\n' "$cell" "$status" "$sites" "$growth" "$boot" "$plain" "$cov"
	[ -n "$summary" ] && echo "#   kernel: $summary"
	[ -n "$covimg" ] && echo "#   vmlinux audit: $covimg"
	d=$cache/kbuild/$(echo "$cell" | awk -F: '{ print $1 "-" $2 }')
	if [ -f "$d.audit.txt" ]; then
		echo "#   uncovered by source (expected: none):"
		grep -E '^(S-file|C-uncovered|\?-uncovered)' "$d.audit.txt" | sed 's/^/#     /'
		echo "#   native-only by construction in vmlinux (count: reason):"
		grep -E '^native-only ' "$d.audit.txt" | sed 's/^native-only /#     /'
		# Checked when this was written: realmode is .init.data, the vDSO a data array.
		echo "#     none in vmlinux's code (they set their own flags, no KCFLAGS/KAFLAGS, and stay native):"
		echo "#       arch/x86/boot/ and boot/compressed/ (a separate image, run before the kernel proper),"
		echo "#       arch/x86/realmode/ (16-bit trampoline carried as .init.data), the vDSO (user code carried as data)"
	fi
	[ -n "$why" ] && echo "#   failed: $why (log: $log)"
done <"$results"
echo "# Linux tree: $tree"

if [ -n "$json" ]; then
	python3 - "$results" "$json" "$tree" <<'PY'
import json, sys
rows = []
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("|")
    config, arch, backend = f[0].split(":")
    rows.append({"config": config, "arch": arch, "backend": backend, "status": f[1],
                 "why": f[2], "sites": int(f[3]), "text_growth": f[4], "boot_s": f[5],
                 "plain_boot_s": f[6], "coverage": f[7], "kernel_summary": f[8],
                 "log": f[9], "vmlinux_audit": f[10] if len(f) > 10 else ""})
json.dump({"linux": "6.1 (Debian linux-source-6.1)", "tree": sys.argv[3], "cells": rows},
          open(sys.argv[2], "w"), indent=2)
PY
	echo "# JSON: $json"
fi
[ $tap = 1 ] && echo "1..$n"
[ $failed = 0 ]
