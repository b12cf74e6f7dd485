/* SPDX-License-Identifier: MIT */
/*
 * The site table the previrt plugin left in this very image: well-formed
 * records, and every device accessor's access tagged as a device site of
 * the right class. Only meaningful
 * when the guest was compiled with the plugin (GUEST_WITH_PLUGIN); a plain
 * build says so and checks nothing here.
 */
#include <previrt/abi.h>
#include "io.h"
#include "tap.h"
#include "tests.h"

#ifdef GUEST_WITH_PLUGIN
#ifdef __x86_64__
#define SITE_ARCH	PREVIRT_ARCH_X86_64
#define SITE_ARCH_NAME	"x86-64"
#else
#define SITE_ARCH	PREVIRT_ARCH_X86_32
#define SITE_ARCH_NAME	"x86-32"
#endif
#define ACCESSOR_SPAN	64	/* an accessor: its access, its sled, a return */

struct accessor {
	const char *name;
	const unsigned char *at;
	unsigned klass;
};

/*
 * Where an accessor's own code ends: ACCESSOR_SPAN bytes on, or earlier
 * where another accessor starts.
 */
static const unsigned char *accessor_end(const struct accessor *a, const struct accessor *all,
					 unsigned n)
{
	const unsigned char *end = a->at + ACCESSOR_SPAN;

	for (unsigned i = 0; i < n; i++)
		if (all[i].at > a->at && all[i].at < end)
			end = all[i].at;
	return end;
}

/* Whether a device site of the accessor's class lies inside it. */
static int has_device_site(const struct accessor *a, const unsigned char *end,
			   const struct previrt_site *begin, const struct previrt_site *stop)
{
	for (const struct previrt_site *s = begin; s < stop; s++) {
		const unsigned char *sled = previrt_site_sled(s);

		if (sled >= a->at && sled < end && s->klass == a->klass &&
		    (s->flags & PREVIRT_F_DEVICE))
			return 1;
	}
	return 0;
}
#endif

void test_sites(void)
{
	tap_case("sites");
#ifndef GUEST_WITH_PLUGIN
	tap_note("built without the previrt plugin: no site table to check");
#else
	const struct previrt_site *s, *begin = __start_previrt_sites, *end = __stop_previrt_sites;
	unsigned n = (unsigned)(end - begin), bad = 0;
#define ACCESSOR(fn, c) { #fn, (const unsigned char *)(uintptr_t)fn, PREVIRT_CLASS_##c }
	const struct accessor accessors[] = {
		ACCESSOR(inb, PIO), ACCESSOR(outb, PIO), ACCESSOR(inl, PIO), ACCESSOR(outl, PIO),
		ACCESSOR(insb, PIO), ACCESSOR(outsb, PIO), ACCESSOR(readl, MMIO), ACCESSOR(writel, MMIO),
	};
#undef ACCESSOR
	const unsigned n_accessors = sizeof(accessors) / sizeof(accessors[0]);

	tap_check(begin && n > 0, "the site table is not empty (%u records)", n);
	for (s = begin; s < end; s++)
		if (s->version != PREVIRT_ABI_VERSION || s->arch != SITE_ARCH ||
		    s->klass == PREVIRT_CLASS_INVALID || s->klass >= PREVIRT_CLASS_COUNT ||
		    s->insn_len == 0 || s->sled_len < s->insn_len ||
		    s->sled_len < PREVIRT_X86_SLED_BUDGET || (s->flags & ~PREVIRT_F_KNOWN))
			bad++;
	tap_eq(bad, 0, "every record is version 1, " SITE_ARCH_NAME ", a known class, a full sled");
	for (unsigned i = 0; i < n_accessors; i++) {
		const struct accessor *a = &accessors[i];

		tap_check(has_device_site(a, accessor_end(a, accessors, n_accessors), begin, end),
			  "%s's access is recorded as a %s device site", a->name,
			  previrt_class_name(a->klass));
	}
#endif
}
