#!/usr/bin/env python3
"""Summarise previrt-audit --json output of a kernel's archives by source kind.

Usage: audit-summary.py LINUX_SRC AUDIT.json
Prints one line: "covered N uncovered M (S: a in k files; C: b in j files) ignored I"
and then, for each C object with uncovered instructions, a line
"C-uncovered path.o class instruction symbol" (those are plugin bugs).
"""
import json
import os
import re
import sys

src, path = sys.argv[1], sys.argv[2]
with open(path) as f:
    data = json.load(f)

covered = ignored = native = 0
by_kind = {"S": {}, "C": {}, "runtime": {}, "?": {}}
c_lines = []
for img in data.get("images", []):
    m = re.search(r"\((.*)\)$", img["file"])
    member = m.group(1) if m else os.path.basename(img["file"])
    stem = member[:-2] if member.endswith(".o") else member
    if "previrt-runtime" in member:
        # libprevirt and the glue: built without the plugin on purpose (the
        # patcher must not patch itself); their instructions run natively.
        kind = "runtime"
    elif os.path.exists(os.path.join(src, stem + ".S")):
        kind = "S"
    elif os.path.exists(os.path.join(src, stem + ".c")):
        kind = "C"
    else:
        kind = "?"
    covered += len(img.get("sites", []))
    ignored += len(img.get("ignored", []))
    native += len(img.get("native_only", []))
    unc = img.get("uncovered", [])
    if unc:
        by_kind[kind][member] = by_kind[kind].get(member, 0) + len(unc)
        if kind in ("C", "?"):
            for u in unc:
                c_lines.append("%s-uncovered %s %s %s %s" % (
                    kind, member, u["class"], u["instruction"].replace(" ", "_"),
                    u.get("symbol") or "?"))

def total(k):
    return sum(by_kind[k].values())

print("covered %d uncovered %d (.S: %d in %d files; C: %d; runtime: %d; other: %d) native-only %d ignored %d" % (
    covered, sum(total(k) for k in by_kind), total("S"), len(by_kind["S"]),
    total("C"), total("runtime"), total("?"), native, ignored))
for f in sorted(by_kind["S"]):
    print("S-file %s %d" % (f, by_kind["S"][f]))
for line in c_lines:
    print(line)
