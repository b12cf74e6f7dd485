#!/bin/sh
# The man pages: each renders without a warning (man --warnings, groff
# -ww), and each tool's page and its own help name the same options, both
# ways; every option the help names is accepted by the tool itself.
#   previrt-audit(1)  --help of the built previrt-audit
#   previrt-kbuild(1) --help of the built previrt-kbuild
#   previrt-as(1)     --previrt-help of the built previrt-as
#   previrt(7)        the plugin's help string (gcc -v --help -fplugin=...),
#                     every class of abi.h, and previrt= on the command line
# Prints a TAP stream; exit status 1 on any failure.
set -u
LC_ALL=C; export LC_ALL
: "${CC:=gcc}"
: "${PLUGIN:?set PLUGIN to previrt.so}"
: "${AUDIT:?set AUDIT to previrt-audit}"
: "${KBUILD:?set KBUILD to previrt-kbuild}"
: "${MANDIR:?set MANDIR to the directory of the pages}"
: "${top_srcdir:?}"
work=${TMPDIR:-/tmp}/pv-man.$$
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done; }

# The text of a page on one long line per paragraph, without hyphenation,
# so that an option is never split across lines.
text() { groff -man -Tascii -P-cbou -rLL=400n -rHY=0 "$1" 2>/dev/null; }
# The options a help text or a page defines: the -x and --long words (with
# their VALUE words) that begin a line, at most 8 columns in, up to the
# first word of the description.
options() {
	grep -E '^ {0,8}-' | awk '{ for (i = 1; i <= NF; i++) { w = $i; sub(/,$/, "", w)
		if (w ~ /^--?[a-zA-Z]/) { sub(/[=[].*/, "", w); print w }
		else if (w !~ /^[A-Z_]+$/) break } }' | sort -u
}

for page in previrt.7 previrt-audit.1 previrt-kbuild.1 previrt-as.1; do
	p=$MANDIR/$page
	if [ ! -f "$p" ]; then not_ok "$page exists"; continue; fi
	MANWIDTH=80 man --warnings -l "$p" >"$work/out" 2>"$work/err"
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$work/err" ] && grep -q . "$work/out"; then
		ok "$page: man --warnings -l renders it without a warning"
	else
		not_ok "$page: man --warnings -l renders it without a warning (exit $rc)" "$(cat "$work/err")"
	fi
	groff -ww -man -z "$p" 2>"$work/err"
	if [ ! -s "$work/err" ]; then ok "$page: groff -ww -man: no warning"
	else not_ok "$page: groff -ww -man: no warning" "$(cat "$work/err")"; fi
done

# compare TOOL HELPFILE PAGE: each option of the help in the page and back.
compare() {
	tool=$1 help=$2 page=$3
	options <"$help" >"$work/help.opts"
	# The page's options: those its OPTIONS section defines (.TP tags).
	text "$page" | awk '/^OPTIONS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' | options >"$work/page.opts"
	missing=$(comm -23 "$work/help.opts" "$work/page.opts" | tr '\n' ' ')
	extra=$(comm -13 "$work/help.opts" "$work/page.opts" | tr '\n' ' ')
	count=$(wc -l <"$work/help.opts")
	if [ "$count" -lt 2 ]; then
		not_ok "$tool: its --help names options" "$(cat "$help")"
	elif [ -z "$missing" ] && [ -z "$extra" ]; then
		ok "$tool: the $count options of --help are the ones its page describes"
	else
		not_ok "$tool: --help and the page name the same options" \
			"in --help, not in the page: ${missing:-none}" "in the page, not in --help: ${extra:-none}"
	fi
}

# An option the help names is one the tool accepts: given before --version,
# it must not be refused (exit 2 with "Try ... --help").
accepted() {	# accepted TOOL [PREFIX...]: options on stdin
	tool=$1
	set -- "$tool"
	bad=""
	while read -r o; do
		case $o in --version|-V|--help|-h) continue ;; esac
		arg=""
		# It takes a value when the help shows one: "--name=VALUE", "-x VALUE"
		# or "-x, --name=VALUE".
		grep -q -E -- "^ *(-[a-zA-Z], )?$o(=| )[A-Z]" "$work/help" && arg=x
		grep -q -E -- "^ *$o, --[a-z-]+=[A-Z]" "$work/help" && arg=x
		case $o in
		-a) arg=x86_64 ;; -j) arg=1 ;; -c) arg=keep ;; -o|-P|-R|-A) arg=/tmp ;;
		--native-only) arg=/dev/null ;;
		esac
		if [ -n "$arg" ] && [ "${o#--}" != "$o" ]; then set -- "$@" "$o=$arg"
		elif [ -n "$arg" ]; then set -- "$@" "$o" "$arg"
		else set -- "$@" "$o"; fi
		"$@" --version >"$work/acc" 2>&1 || bad="$bad $o"
		set -- "$tool"
	done
	[ -z "$bad" ] && ok "$(basename "$tool"): every option of its --help is accepted" ||
		not_ok "$(basename "$tool"): every option of its --help is accepted" "refused:$bad"
}

"$AUDIT" --help >"$work/help" 2>&1 || not_ok "previrt-audit --help exits 0"
compare previrt-audit "$work/help" "$MANDIR/previrt-audit.1"
options <"$work/help" >"$work/opts"
accepted "$AUDIT" <"$work/opts"
"$AUDIT" --version | grep -q "^previrt-audit (previrt) [0-9]" &&
	ok "previrt-audit --version names the tool and its version" ||
	not_ok "previrt-audit --version names the tool and its version" "$("$AUDIT" --version 2>&1)"

sh "$KBUILD" --help >"$work/help" 2>&1 || not_ok "previrt-kbuild --help exits 0"
compare previrt-kbuild "$work/help" "$MANDIR/previrt-kbuild.1"
options <"$work/help" >"$work/opts"
accepted "$KBUILD" <"$work/opts"
sh "$KBUILD" --version | grep -q "^previrt-kbuild (previrt) [0-9]" &&
	ok "previrt-kbuild --version names the tool and its version" ||
	not_ok "previrt-kbuild --version names the tool and its version" "$(sh "$KBUILD" --version 2>&1)"
sh "$KBUILD" --bogus >"$work/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "Try 'previrt-kbuild --help'" "$work/out" &&
	ok "previrt-kbuild refuses an unknown option with exit 2" ||
	not_ok "previrt-kbuild refuses an unknown option with exit 2 (exit $rc)" "$(cat "$work/out")"

# previrt-as: its own options are --previrt-*; --help is the real assembler's.
"$PVAS" --previrt-help >"$work/help" 2>&1 || not_ok "previrt-as --previrt-help exits 0"
compare previrt-as "$work/help" "$MANDIR/previrt-as.1"
"$PVAS" --previrt-version | grep -q "^previrt-as (previrt) [0-9]" &&
	ok "previrt-as --previrt-version names the tool and its version" ||
	not_ok "previrt-as --previrt-version names the tool and its version" "$("$PVAS" --previrt-version 2>&1)"
"$PVAS" --previrt-bogus >"$work/out" 2>&1
rc=$?
[ $rc -eq 2 ] && grep -q "unknown option '--previrt-bogus'" "$work/out" &&
	ok "previrt-as refuses an unknown --previrt- option with exit 2" ||
	not_ok "previrt-as refuses an unknown --previrt- option with exit 2 (exit $rc)" "$(cat "$work/out")"

# The plugin: its help string lists its arguments ("args: report[=FILE] werror ...").
printf 'void f(void) { __asm__ volatile("cli"); }\n' >"$work/x.c"
$CC -v --help -fplugin="$PLUGIN" -c "$work/x.c" -o "$work/x.o" >"$work/help" 2>&1
args=$(sed -n 's/.*previrt: pad sensitive.*args: //p' "$work/help" | tr ' ' '\n' | sed 's/\[.*//; s/=$//' | grep . | sort -u)
text "$MANDIR/previrt.7" >"$work/page"
page_args=$(grep -o -- '-fplugin-arg-previrt-[a-z][a-z-]*' "$work/page" | sed 's/^-fplugin-arg-previrt-//' | sort -u)
if [ -z "$args" ]; then
	not_ok "the plugin's help string names its arguments" "$(tail -n 5 "$work/help")"
elif [ "$args" = "$page_args" ]; then
	ok "previrt(7) describes exactly the $(echo "$args" | wc -l) arguments of the plugin's help"
else
	not_ok "previrt(7) describes exactly the arguments of the plugin's help" \
		"help: $(echo $args)" "page: $(echo $page_args)"
fi
bad=""
for a in $args; do
	case $a in
	classes|no-classes) v==cli ;; device-functions|device-functions-add) v==pv_accessor ;;
	report) v==$work/report ;; *) v= ;;
	esac
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-previrt-$a$v -c "$work/x.c" -o "$work/x.o" \
		2>"$work/err" || bad="$bad $a"
done
[ -z "$bad" ] && ok "the plugin accepts every argument its help names" ||
	not_ok "the plugin accepts every argument its help names" "refused:$bad" "$(cat "$work/err")"
if ! $CC -O2 -fplugin="$PLUGIN" -fplugin-arg-previrt-no-such-arg -c "$work/x.c" -o "$work/x.o" 2>"$work/err" &&
   grep -q "unknown argument" "$work/err"; then
	ok "the plugin refuses an argument no page describes"
else
	not_ok "the plugin refuses an argument no page describes" "$(cat "$work/err")"
fi

# Every class of abi.h is in the CLASSES section, and the plugin knows it.
classes=$(sed -n '/previrt_class_name(unsigned int c)/,/^}/p' "$top_srcdir/include/previrt/abi.h" |
	grep -o '"[a-z_]*"' | tr -d '"' | grep -v '^invalid$')
awk '/^CLASSES/ { on = 1; next } /^[A-Z]/ { on = 0 } on' "$work/page" >"$work/classes"
bad="" refused=""
for c in $classes; do
	grep -q -w -- "$c" "$work/classes" || bad="$bad $c"
	$CC -O2 -fplugin="$PLUGIN" -fplugin-arg-previrt-classes="$c" -c "$work/x.c" -o "$work/x.o" \
		2>/dev/null || refused="$refused $c"
done
if [ -n "$classes" ] && [ -z "$bad" ] && [ -z "$refused" ]; then
	ok "previrt(7) lists each of the $(echo "$classes" | wc -w) classes of abi.h, each one classes= accepts"
else
	not_ok "previrt(7) lists each class of abi.h, each one classes= accepts" \
		"not in the page:${bad:- none}" "refused by the plugin:${refused:- none}"
fi
bad=""
for b in native xen l4; do
	grep -q -w "$b" "$work/page" || bad="$bad $b"
done
grep -q 'previrt=backend' "$work/page" && [ -z "$bad" ] &&
	ok "previrt(7) describes previrt= and its backends native, xen, l4" ||
	not_ok "previrt(7) describes previrt= and its backends native, xen, l4" "missing:$bad"

echo "1..$n"
[ $failed -eq 0 ]
