#!/bin/sh
# SPDX-License-Identifier: MIT
# --json: the output parses (python3 -m json.tool) and carries the same
# facts as the text report: sites, uncovered instructions with their
# class, symbol and source line, the summary, errors and the exit status.
. "$srcdir/lib.sh"

command -v python3 >/dev/null || hard_error "python3 is needed to read JSON"

# check_json WHAT FILE PYTHON-ASSERTIONS: 'doc' is the parsed document.
check_json() {
	if ! python3 -m json.tool "$2" >/dev/null 2>"$2.parse"; then
		fail "$1: not valid JSON: $(cat "$2.parse")"
		return
	fi
	if python3 - "$2" "$fixtures" >"$2.py" 2>&1 <<PYEOF
import json, sys
doc = json.load(open(sys.argv[1]))
fixtures = sys.argv[2]
def expected(name):
    with open(fixtures + "/" + name) as f:
        return [l.split() for l in f if l.strip() and not l.startswith("#")]
$3
PYEOF
	then
		pass "$1"
	else
		fail "$1"
		sed 's/^/  | /' "$2.py"
	fi
}

for bits in 64 32; do
	d=$work/m$bits
	mkdir -p "$d"
	assemble "$bits" "$fixtures/sensitive.c" "$d/sensitive.o"
	assemble "$bits" "$fixtures/covered.S" "$d/covered.o"
	assemble "$bits" "$fixtures/altinstr.S" "$d/altinstr.o"
	assemble "$bits" "$fixtures/bad-class.S" "$d/bad-class.o"

	audit "$d/unc" --json "$d/sensitive.o"
	expect_status "-m$bits uncovered" 1
	check_json "-m$bits uncovered: every expected instruction, with source" "$d/unc.out" '
img, = doc["images"]
assert doc["exit_status"] == 1, doc["exit_status"]
assert img["verdict"] == "uncovered"
assert img["bits"] == '"$bits"'
assert img["kind"] == "relocatable object"
got = sorted((u["class"], u["symbol"]) for u in img["uncovered"])
want = sorted(tuple(e) for e in expected("uncovered.expect"))
assert got == want, (got, want)
for u in img["uncovered"]:
    assert u["section"] == ".text" and isinstance(u["offset"], int)
    assert u["source"]["file"].endswith("sensitive.c") and u["source"]["line"] > 0, u
    assert u["instruction"]
assert img["sites"] == [] and img["errors"] == []
assert img["totals"] == {"covered": 0, "uncovered": len(want), "ignored": 0}
assert img["summary"]["pio"]["uncovered"] == 2
assert img["instructions_decoded"] > len(want)
'

	audit "$d/cov" --json "$d/covered.o" "$d/altinstr.o"
	expect_status "-m$bits covered" 0
	check_json "-m$bits covered: sites and ignored sections, two files" "$d/cov.out" '
cov, alt = doc["images"]
assert doc["exit_status"] == 0
assert cov["verdict"] == "covered" and cov["uncovered"] == []
got = [(s["class"], s["symbol"], "device" if s["device"] else "-") for s in cov["sites"]]
want = [tuple(e) for e in expected("covered.expect")]
assert got == want, (got, want)
for s in cov["sites"]:
    assert s["symbol_offset"] is not None and s["sled_len"] >= s["insn_len"] >= 1
assert cov["totals"]["covered"] == len(want)
assert alt["verdict"] == "covered"
ign, = alt["ignored"]
assert ign["section"] == ".altinstr_replacement" and ign["class"] == "smap", ign
assert alt["summary"]["smap"] == {"covered": 0, "uncovered": 0, "ignored": 1}
'

	audit "$d/bad" --json "$d/bad-class.o" "$d/covered.o"
	expect_status "-m$bits bad input" 2
	check_json "-m$bits bad input: errors carried, status 2" "$d/bad.out" '
bad, good = doc["images"]
assert doc["exit_status"] == 2
assert bad["verdict"] == "bad-input"
assert any("class 42 is out of range" in e for e in bad["errors"]), bad["errors"]
assert good["verdict"] == "covered" and good["errors"] == []
'
	audit "$d/missing" --json "$d/no-such-file.o"
	expect_status "-m$bits unreadable file" 2
	check_json "-m$bits unreadable file: still JSON" "$d/missing.out" '
img, = doc["images"]
assert img["verdict"] == "bad-input" and img["errors"], img
assert "sites" not in img
'

	# Names are bytes: a symbol and a section that are not UTF-8 (and one
	# that is, beyond ASCII) must still give a valid document, the bad
	# bytes shown as \xNN and the good ones kept.
	objcopy --redefine-sym hw_irq_off="$(printf 'irq_\377off')" \
		--redefine-sym hw_irq_on="$(printf 'irq_\303\251on')" \
		--rename-section .text.unlikely="$(printf '.text.\200cold')" \
		"$d/covered.o" "$d/latin.o" || hard_error "objcopy cannot rename symbols"
	audit "$d/latin" --json "$d/latin.o"
	expect_status "-m$bits names that are not UTF-8" 0
	check_json "-m$bits names that are not UTF-8: valid JSON, bytes shown" "$d/latin.out" '
img, = doc["images"]
syms = {s["symbol"] for s in img["sites"]}
secs = {s["section"] for s in img["sites"]}
assert "irq_\\xffoff" in syms, syms
assert "irq_\u00e9on" in syms, syms
assert ".text.\\x80cold" in secs, secs
'
done
finish
