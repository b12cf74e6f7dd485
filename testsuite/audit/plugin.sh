#!/bin/sh
# SPDX-License-Identifier: MIT
# The plugin's own fixtures (testsuite/plugin/fixtures/*.c), -m64 and -m32,
# -O0, -O2 and -Os:
#  - built with -fplugin=previrt.so, the audit finds 0 uncovered sensitive
#    instructions, no bad record, and per class exactly the sites the
#    fixture's EXPECT lines announce;
#  - built without the plugin, the audit exits 1 (unless the fixture has
#    no sensitive instruction: EXPECT-NONE, exit 0), and the instructions
#    it lists are the very ones the plugin covered: the plugin moves
#    instructions from "uncovered" to "covered", nothing else;
#  - all plugin-built fixtures linked together (ld -r, then an executable)
#    still audit with every site and nothing uncovered.
# warn/sections.c keeps sensitive code in a ".section .fixup" block, which
# the plugin does not annotate (a section switch) but warns about; that code
# runs where it lies, so the audit must list exactly it as uncovered.
. "$srcdir/lib.sh"

: "${PLUGIN:?}" "${PLUGIN_FIXTURES:?}"
[ -f "$PLUGIN" ] || hard_error "plugin not built: $PLUGIN"
ls "$PLUGIN_FIXTURES"/*.c >/dev/null 2>&1 || hard_error "no fixtures in $PLUGIN_FIXTURES"
command -v python3 >/dev/null || hard_error "python3 is needed to read JSON"

# compare FIXTURE BITS WITH.json WITHOUT.json: prints problems, if any.
compare() {
	python3 - "$@" <<'PYEOF'
import json, re, sys
src, bits, with_path, without_path = sys.argv[1:]
text = open(src).read()
want = {}
for cls, n in re.findall(r"EXPECT(?:%s)?: (\w+) (\d+)" % bits, text):
    want[cls] = want.get(cls, 0) + int(n)
device = sum(int(n) for n in re.findall(r"EXPECT-DEVICE: (\d+)", text))
# the sti of an "sti; hlt" site is covered by the hlt's record
want["sti"] = want.get("sti", 0) + sum(int(n) for n in re.findall(r"EXPECT-STI-PAIRS: (\d+)", text))
w = json.load(open(with_path))["images"][0]
p = json.load(open(without_path))["images"][0]
problems = []
def counts(img, what):
    return {c: t[what] for c, t in img["summary"].items() if t[what]}
covered = counts(w, "covered")
expected = {c: n for c, n in want.items() if n}
if covered != expected:
    problems.append("covered %s, fixture expects %s" % (covered, expected))
got_device = sum(1 for s in w["sites"] if s["device"])
if got_device != device:
    problems.append("%d device sites, fixture expects %d" % (got_device, device))
if w["errors"]:
    problems.append("errors with the plugin: %s" % w["errors"])
# Without the plugin: the same instructions, all uncovered (MMIO sites are
# plain movs, sensitive only by where they sit: not found without it).
moved = {c: covered.get(c, 0) + counts(w, "uncovered").get(c, 0)
         for c in set(covered) | set(counts(w, "uncovered")) if c != "mmio"}
moved = {c: n for c, n in moved.items() if n}
if counts(p, "uncovered") != moved:
    problems.append("without the plugin uncovered %s, with it covered+uncovered %s"
                    % (counts(p, "uncovered"), moved))
if counts(p, "ignored") != counts(w, "ignored"):
    problems.append("ignored sections differ: %s vs %s"
                    % (counts(p, "ignored"), counts(w, "ignored")))
if p["sites"]:
    problems.append("a table without the plugin")
print("\n".join(problems))
PYEOF
}

warnfix=$PLUGIN_FIXTURES/../warn/sections.c
for bits in 64 32; do
	tag="warn/sections.c -m$bits"
	d=$work/sections.m$bits
	mkdir -p "$d"
	assemble "$bits" "$warnfix" "$d/pv.o" -O2 -fplugin="$PLUGIN"
	audit "$d/fixup" "$d/pv.o"
	expect_status "$tag: .fixup code found uncovered" 1
	section_of "$d/fixup.out" "uncovered sensitive instructions:" |
		tail -n +2 | awk '{ print $1, $3 }' >"$d/fixup.list"
	printf '.fixup+0x0 sti\n.fixup+0x1 hlt\n' >"$d/fixup.want"
	if cmp -s "$d/fixup.list" "$d/fixup.want"; then
		pass "$tag: exactly the .fixup sti and hlt uncovered"
	else
		fail "$tag: uncovered list is not the .fixup code"
		sed 's/^/  | /' "$d/fixup.list"
	fi
done

for f in "$PLUGIN_FIXTURES"/*.c; do
	name=$(basename "$f" .c)
	extra=
	for bits in 64 32; do
		for opt in -O0 -O2 -Os; do
			tag="$name -m$bits $opt"
			d=$work/$name.m$bits$opt
			mkdir -p "$d"
			assemble "$bits" "$f" "$d/pv.o" "$opt" -fplugin="$PLUGIN"
			assemble "$bits" "$f" "$d/plain.o" "$opt"

			audit "$d/with" $extra "$d/pv.o"
			expect_status "$tag: with the plugin" 0
			expect_grep "$tag: with the plugin, 0 uncovered" "$d/with.out" \
				'^uncovered sensitive instructions: 0$'
			audit "$d/without" $extra "$d/plain.o"
			if grep -q EXPECT-NONE "$f"; then
				expect_status "$tag: without the plugin (nothing sensitive)" 0
			else
				expect_status "$tag: without the plugin" 1
			fi

			audit "$d/with-json" --json $extra "$d/pv.o"
			audit "$d/without-json" --json $extra "$d/plain.o"
			problems=$(compare "$f" "$bits" "$d/with-json.out" "$d/without-json.out" 2>&1)
			if [ -z "$problems" ]; then
				pass "$tag: sites as EXPECTed; without the plugin the same instructions uncovered"
			else
				fail "$tag: $problems"
			fi
		done
	done
done

# Everything together: one relocatable (like vmlinux.o), one executable.
for bits in 64 32; do
	d=$work/all.m$bits
	mkdir -p "$d"
	total=0
	warnfix=$PLUGIN_FIXTURES/../warn/sections.c
for bits in 64 32; do
	tag="warn/sections.c -m$bits"
	d=$work/sections.m$bits
	mkdir -p "$d"
	assemble "$bits" "$warnfix" "$d/pv.o" -O2 -fplugin="$PLUGIN"
	audit "$d/fixup" "$d/pv.o"
	expect_status "$tag: .fixup code found uncovered" 1
	section_of "$d/fixup.out" "uncovered sensitive instructions:" |
		tail -n +2 | awk '{ print $1, $3 }' >"$d/fixup.list"
	printf '.fixup+0x0 sti\n.fixup+0x1 hlt\n' >"$d/fixup.want"
	if cmp -s "$d/fixup.list" "$d/fixup.want"; then
		pass "$tag: exactly the .fixup sti and hlt uncovered"
	else
		fail "$tag: uncovered list is not the .fixup code"
		sed 's/^/  | /' "$d/fixup.list"
	fi
done

for f in "$PLUGIN_FIXTURES"/*.c; do
		name=$(basename "$f" .c)
		obj=$work/$name.m$bits-O2/pv.o
		n=$("$AUDIT" --ignore-section=.fixup "$obj" | sed -n 's/^sites: \([0-9]*\)$/\1/p')
		total=$((total + n))
	done
	$CC -m"$bits" -nostdlib -r "$work"/*.m$bits-O2/pv.o -o "$d/all.o" ||
		hard_error "cannot link -r the -m$bits fixtures"
	audit "$d/rel" --ignore-section=.fixup "$d/all.o"
	expect_status "-m$bits all fixtures, ld -r" 0
	expect_grep "-m$bits all fixtures, ld -r: $total sites" "$d/rel.out" "^sites: $total$"

	$CC -m"$bits" -nostdlib -no-pie -Wl,-e,0 -Wl,--unresolved-symbols=ignore-all \
		"$d/all.o" -o "$d/all.exe" || hard_error "cannot link the -m$bits fixtures"
	audit "$d/exe" --ignore-section=.fixup "$d/all.exe"
	expect_status "-m$bits all fixtures, executable" 0
	expect_grep "-m$bits all fixtures, executable: $total sites" "$d/exe.out" "^sites: $total$"
done
finish
