#!/bin/sh
# The kernel archive must link into a kernel that has no libc: after
# linking all its members together, the only undefined symbols allowed are
# the table bounds the kernel's linker provides (weak, so even those may
# stay unresolved).  Also checks the members are x86-64, non-PIC
# (-mcmodel=kernel: no GOT relocations; PLT32 is what ld uses for every call) and have no unwind tables.
# TAP output.
set -u
ar=${KERNEL_ARCHIVE:-../../libprevirt/libprevirt-kernel.a}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0; fail=0
t() { n=$((n+1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }

[ -f "$ar" ]; t $? "kernel archive exists ($ar)"
(cd "$tmp" && ar x "$OLDPWD/$ar") 2>/dev/null || (cd "$tmp" && ar x "$ar")
ld -r -o "$tmp/all.o" "$tmp"/*.o; t $? "members link together (ld -r)"
undef=$(nm -u "$tmp/all.o" | awk '{print $2}' | grep -v -e '^__start_previrt_sites$' -e '^__stop_previrt_sites$')
[ -z "$undef" ]; t $? "no undefined symbols but the table bounds${undef:+ (found: $(echo $undef))}"
objdump -f "$tmp/all.o" | grep -q "architecture: i386:x86-64"; t $? "x86-64 objects"
relocs=$(objdump -r "$tmp/all.o" | grep -E 'GOT' | grep -v '\.note' | head -3)
[ -z "$relocs" ]; t $? "no GOT relocations${relocs:+ (found: $relocs)}"
! objdump -h "$tmp/all.o" | grep -q '\.eh_frame'; t $? "no .eh_frame (unwind tables off)"
for sym in previrt_start previrt_patch_table previrt_dispatch_entry previrt_backend_native previrt_vcpu_emulate; do
	nm "$tmp/all.o" | grep -q " T $sym\$\| R $sym\$\| D $sym\$"; t $? "defines $sym"
done
echo "1..$n"
exit $fail
