#!/bin/sh
# SPDX-License-Identifier: MIT
# --native-only: instructions in code named by the list (a symbol glob, or
# an image's name) are "native-only by construction", listed with the
# entry's reason, counted in their own column and left out of the verdict;
# the others stay uncovered. A malformed list is bad input naming its line.
. "$srcdir/lib.sh"

assemble 64 "$fixtures/sensitive.c" "$work/sensitive.o"

cat >"$work/list" <<'LIST'
# comment lines and blank ones are skipped

symbol do_cli runs before the patcher, in this test
symbol do_s* never runs in the guest, in this test
LIST
audit "$work/some" --native-only="$work/list" "$work/sensitive.o"
expect_status "part native-only: the rest still uncovered" 1
expect_grep "part: listed with reason" "$work/some.out" 'do_cli\+0x0 +cli +cli .*; runs before the patcher, in this test$'
expect_grep "part: glob" "$work/some.out" 'do_sti\+0x0 +sti +sti .*; never runs in the guest, in this test$'
expect_grep "part: title" "$work/some.out" '^native-only by construction .*: [0-9]+$'
expect_grep "part: column" "$work/some.out" '^  cli +0 +0 +0 +1$'
expect_grep "part: do_hlt still uncovered" "$work/some.out" 'do_hlt\+0x0 +hlt +hlt'

printf 'file *sensitive.o the whole image, in this test\n' >"$work/all"
audit "$work/all" --native-only="$work/all" "$work/sensitive.o"
expect_status "all native-only: exit 0" 0
expect_grep "all: verdict" "$work/all.out" '^verdict: every sensitive instruction is covered, but [0-9]+ native-only by construction$'
audit "$work/alljson" --json --native-only="$work/all" "$work/sensitive.o"
expect_status "all native-only, JSON: exit 0" 0
expect_grep "JSON: reason" "$work/alljson.out" '"reason": "the whole image, in this test"'
expect_grep "JSON: tally" "$work/alljson.out" '"native_only": [1-9]'

printf 'symbol\n' >"$work/bad"
audit "$work/badlist" --native-only="$work/bad" "$work/sensitive.o"
expect_status "malformed list" 2
expect_grep "malformed list: line named" "$work/badlist.err" "bad:1: want 'symbol GLOB REASON'"
audit "$work/nolist" --native-only="$work/no-such-list" "$work/sensitive.o"
expect_status "missing list" 2
expect_grep "missing list: named" "$work/nolist.err" 'no-such-list: cannot open'
finish
