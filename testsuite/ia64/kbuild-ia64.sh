#!/bin/sh
# The ia64 cell of the Kbuild matrix (build only: nothing IA-64 boots
# here): Linux 6.1 (Debian's linux-source-6.1, via scripts/linux-tree.sh)
# for ARCH=ia64, tinyconfig, built with the IA-64 cross gcc and the plugin
# built for it, in $PREVIRT_CACHE/kbuild/tinyconfig-ia64 (kept between
# runs: a second run only relinks). Then the site census:
#  - the plugin's own report (sites per class, warnings), summed over files;
#  - every record of vmlinux's previrt_sites checked by libprevirt's IA-64
#    sled checker (ia64-image sites): all must be "ok";
#  - coverage: every instruction of vmlinux that the IA-64 table calls
#    sensitive (objdump + ia64-census), covered when a record names its
#    bundle and slot; the uncovered ones by source: .S files and gcc's own
#    "break 0" traps are expected, any other from C fails the cell;
#  - .text growth against the same config built without the plugin.
# Prints TAP. The Linux tree must be left unwritten (checked).
#
#   kbuild-ia64.sh        environment: IA64_CC, PLUGIN (previrt.so for IA-64),
#                         IA64_OBJDUMP, srcdir, top_srcdir, PREVIRT_JOBS
set -u
: "${IA64_CC:?IA64_CC: the IA-64 cross gcc}"
: "${PLUGIN:?PLUGIN: previrt.so built for the IA-64 cross gcc}"
: "${IA64_OBJDUMP:=ia64-linux-gnu-objdump}"
: "${IA64_NM:=ia64-linux-gnu-nm}"
: "${srcdir:=.}"
top_srcdir=${top_srcdir:-$srcdir/../..}
cache=${PREVIRT_CACHE:-/var/cache/previrt}
jobs=${PREVIRT_JOBS:-$(nproc)}
here=$(pwd)

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }

src=$(sh "$top_srcdir/scripts/linux-tree.sh") || exit 1
out=$cache/kbuild/tinyconfig-ia64
log=$out.log
mkdir -p "$out"
stamp=$out.tree-stamp
touch "$stamp"
nfiles_before=$(find "$src" -type f | wc -l)

# The cross gcc's directory first in PATH: Kbuild calls $(CROSS_COMPILE)gcc.
ccdir=$(dirname "$IA64_CC")
PATH=$ccdir:$PATH
export PATH
kmake() { make -s -C "$src" O="$out" ARCH=ia64 CROSS_COMPILE=ia64-linux-gnu- -j"$jobs" "$@"; }

t0=$(date +%s)
: >"$log"
if [ ! -f "$out/.config" ]; then
	kmake tinyconfig >>"$log" 2>&1
fi
# Kbuild does not see a changed plugin: objects built by another one
# would keep its sleds. A different plugin binary means a full rebuild.
sum=$(cksum <"$PLUGIN")
if [ "$(cat "$out/.previrt-plugin" 2>/dev/null)" != "$sum" ]; then
	kmake clean >>"$log" 2>&1
	echo "$sum" >"$out/.previrt-plugin"
fi
report=$out/previrt-report.txt
: >"$report"
# KCFLAGS reaches every C file Kbuild compiles; the report is appended to
# per translation unit, so a rebuild that compiles nothing reports nothing:
# the census below reads the image, which is always complete.
if kmake KCFLAGS="-fplugin=$PLUGIN -fplugin-arg-previrt-report=$report" vmlinux >>"$log" 2>&1; then
	ok "Linux 6.1 ia64 tinyconfig vmlinux built with the plugin in $(( $(date +%s) - t0 )) s wall ($out)"
else
	not_ok "Linux 6.1 ia64 build failed (log $log)"
	tail -n 30 "$log" | sed 's/^/#   /'
	echo "1..$n"
	exit 1
fi
vmlinux=$out/vmlinux

# Plugin report: sum of the per-file lines of this build.
if [ -s "$report" ]; then
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[a-z_]+=[0-9]+,?$/) { sub(/,$/, "", $i); split($i, kv, "="); c[kv[1]] += kv[2] }
	       files++; w += $(NF - 1) }
	     END { printf "# plugin report: %d files compiled this run, %d warnings; sites by class:", files, w
	           for (k in c) printf " %s=%d", k, c[k]; print "" }' "$report"
fi
grep -h "previrt:" "$log" | grep -i warning | sort | uniq -c | sort -rn | head -n 10 | sed 's/^/#   plugin warning: /'

# Records, each checked by the runtime's sled checker.
"$here/ia64-image" sites "$vmlinux" >"$out.sites"
total=$(wc -l <"$out.sites")
good=$(awk '$7 == "ok"' "$out.sites" | wc -l)
if [ "$total" -gt 0 ] && [ "$total" = "$good" ]; then
	ok "vmlinux: $total records, every sled accepted by libprevirt's IA-64 checker"
else
	not_ok "vmlinux: $good of $total sleds accepted"
	awk '$7 != "ok"' "$out.sites" | head | sed 's/^/#   /'
fi
echo "# site census (vmlinux previrt_sites), by class:"
awk '{ c[$2]++ } END { for (k in c) printf "#   %-10s %d\n", k, c[k] }' "$out.sites" | sort -k2 -rn
echo "#   plugin sleds (32 bytes): $(awk '$4 == 32' "$out.sites" | wc -l), explicit bundles (16): $(awk '$4 == 16' "$out.sites" | wc -l)"

# Coverage: sensitive instructions in the image against the records.
"$IA64_OBJDUMP" -d --no-show-raw-insn "$vmlinux" | "$here/ia64-census" >"$out.census"
awk '{ print $1, $3 }' "$out.sites" | sort -u >"$out.recorded"
sens=$(wc -l <"$out.census")
covered=$(awk 'NR == FNR { r[$1 " " $2] = 1; next } ($1 " " $2) in r' "$out.recorded" "$out.census" | wc -l)
echo "# coverage: $covered of $sens sensitive instructions in vmlinux sit in a recorded slot"
# Where the uncovered ones come from: the object defining their function
# (nm over the build's objects), then its source. From a .S file is
# expected (the plugin sees C only); "break 0" that gcc itself emits after
# noreturn calls is a trap, not a hypercall; anything else is a miss.
awk 'NR == FNR { r[$1 " " $2] = 1; next } !(($1 " " $2) in r)' "$out.recorded" "$out.census" >"$out.uncovered"
(cd "$out" && find . -name '*.o' ! -name '*.mod.o' ! -name 'built-in*' ! -name vmlinux.o ! -path './scripts/*' |
	while read -r o; do
		"$IA64_NM" --defined-only "$o" 2>/dev/null |
			awk -v o="${o#./}" 'NF == 3 && $2 ~ /^[tTwW]$/ { print $3, o }'
	done) | sort -u -k1,1 >"$out.symobj"
awk 'NR == FNR { m[$1] = $2; next } { o = ($4 in m) ? m[$4] : "?"; t = $5; for (i = 6; i <= NF; i++) t = t " " $i; print o "\t" $3 "\t" t }' \
	"$out.symobj" "$out.uncovered" | while IFS='	' read -r obj klass text; do
	if [ "$obj" != "?" ] && [ -f "$src/${obj%.o}.S" ]; then
		echo "S ${obj%.o}.S"
	elif echo "$text" | grep -Eq '^break(\.[mifbx])? 0x0$'; then
		echo "trap $obj"
	else
		echo "C $obj $klass $text"
	fi
done >"$out.uncovered-by-source"
echo "# uncovered, by source (expected: .S files, and gcc's own break 0 traps):"
awk '{ print $1, $2 }' "$out.uncovered-by-source" | sort | uniq -c | sort -rn | sed 's/^/#   /'
c_missed=$(grep -c '^C ' "$out.uncovered-by-source")
if [ "$c_missed" = 0 ]; then
	ok "vmlinux: no sensitive instruction from C inline asm left without a record"
else
	not_ok "vmlinux: $c_missed sensitive instructions from C not recorded"
	grep '^C ' "$out.uncovered-by-source" | head | sed 's/^/#   /'
fi
# Every record must name a slot the table calls sensitive: covered counts
# exactly the records then.
if [ "$sens" -gt 0 ] && [ "$covered" = "$total" ]; then
	ok "vmlinux coverage: $covered / $sens sensitive instructions recorded; text $(size -A "$vmlinux" 2>/dev/null | awk '$1 == ".text" { print $2 }') bytes"
else
	not_ok "vmlinux coverage: $covered recorded of $sens, records $good"
fi

# Cost in code: the same configuration without the plugin (cached too).
plain=$out-plain
mkdir -p "$plain"
[ -f "$plain/.config" ] || cp "$out/.config" "$plain/.config"
if make -s -C "$src" O="$plain" ARCH=ia64 CROSS_COMPILE=ia64-linux-gnu- -j"$jobs" vmlinux >>"$log" 2>&1; then
	text() { size -A "$1" | awk '$1 == ".text" { print $2 }'; }
	a=$(text "$plain/vmlinux") b=$(text "$vmlinux")
	ok "same config without the plugin: .text $a -> $b bytes ($(awk -v a="$a" -v b="$b" 'BEGIN { printf "x%.4f, +%d", b / a, b - a }'))"
else
	not_ok "plain ia64 build failed (log $log)"
fi

nfiles_after=$(find "$src" -type f | wc -l)
changed=$(find "$src" -type f -newer "$stamp" | head -n 5)
if [ "$nfiles_before" = "$nfiles_after" ] && [ -z "$changed" ]; then
	ok "Linux tree untouched ($nfiles_after files, none written)"
else
	not_ok "Linux tree written: $changed"
fi
echo "1..$n"
exit $failed
