# Print libprevirt's core_sources (its Makefile.am) on one line: what links
# into a kernel. Read by previrt-kbuild, by the install of the runtime's
# sources and by kbuild-cli.sh, so the three agree on one reading. The list
# is literal in Makefile.am (no make variables), since make does not run here.
/^core_sources[ \t]*=/ { on = 1 }
on {
	sub(/^core_sources[ \t]*=/, "")
	line = $0
	cont = sub(/\\$/, "", line)
	printf "%s ", line
	if (!cont)
		exit
}
