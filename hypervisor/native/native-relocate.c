// SPDX-License-Identifier: MIT
/*
 * native-relocate: a test mode of the native backend.  The kernel still
 * runs on the bare machine, but every sled is rewritten, as a hypervisor
 * backend rewrites it, into a jump to a stub that runs the original
 * instruction natively and jumps back (previrt/reloc.h).  What that
 * proves on a whole kernel, on real CPU semantics: that every site's
 * record and sled are what the patcher believes, that a rewritten sled
 * is entered and left correctly from every place it sits in, and that
 * nothing relies on a sensitive instruction being where the compiler put
 * it.  Never chosen by detection, only by previrt=native-relocate; a site
 * it cannot rewrite is fatal, since a test mode that silently leaves
 * sites alone would prove nothing about them.
 */
#include <previrt/backend.h>
#include <previrt/reloc.h>

/*
 * An image may carry an empty stub pool: previrt-kbuild links Linux with
 * one (64 KiB of text in every kernel for a test mode is too much).
 * Refuse the backend once, by name, rather than every site.
 */
static int relocate_init(const struct previrt_env *env)
{
	(void)env;
	return (unsigned long)previrt_reloc_pool_end > (unsigned long)previrt_reloc_pool ? 0 : -1;
}

const struct previrt_backend previrt_backend_native_relocate = {
	.name = "native-relocate",
	.detect = 0,
	.init = relocate_init,
	/* every class (a GNU range designator): this mode rewrites them all */
	.fill = { [PREVIRT_CLASS_CLI ... PREVIRT_CLASS_COUNT - 1] = PREVIRT_FILL_INLINE },
	.emit = previrt_reloc_emit,
	.refusal_fatal = 1,
};
