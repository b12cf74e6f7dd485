// SPDX-License-Identifier: MIT
/*
 * The one place that knows which GCC the plugin is compiled against.
 *
 * GCC's plugin API is its internal headers: what they are called, in
 * which order they must come, and what they declare changes between
 * releases. The plugin's .cc files include this header instead of GCC's,
 * and use only what it provides, so that a difference between two GCCs
 * is handled here once, by version, instead of with #ifs in the passes.
 *
 * Built and tested against: GCC 11 and 12 (what Debian 12 ships:
 * gcc-11-plugin-dev, gcc-12-plugin-dev). The two need the same headers
 * in the same order; the version-dependent parts below are the ones a
 * newer GCC is known to need (a GCC past the newest tested one still
 * builds, with a note, since most releases keep these interfaces).
 */
#ifndef PREVIRT_GCC_COMPAT_H
#define PREVIRT_GCC_COMPAT_H

#include "gcc-plugin.h"
/*
 * bversion.h, not plugin-version.h: the latter defines static data (the
 * version record plugin_init compares), which only previrt-plugin.cc uses.
 */
#include "bversion.h"

/* The version of the headers, as a number: 12002 for 12.2. */
#define PV_GCC_VERSION (BUILDING_GCC_MAJOR * 1000 + BUILDING_GCC_MINOR)
#define PV_GCC_AT_LEAST(major, minor) (PV_GCC_VERSION >= (major) * 1000 + (minor))

/*
 * GCC 11 is the oldest: the pass classes' final/override methods, the
 * asm_node list of the symbol table and the inline-origin helpers the
 * passes use are all as they are here from 11 on. Below it they differ
 * in ways this header does not cover, so say so at once instead of with
 * a page of errors from deep inside GCC's headers.
 */
#if !PV_GCC_AT_LEAST(11, 0)
#error "previrt: the plugin needs the headers of GCC 11 or later (gcc-N-plugin-dev)"
#endif

#include "tm.h"
#include "tree.h"
#include "tree-pass.h"
#include "context.h"
#include "function.h"
#include "basic-block.h"
#include "tree-ssa-alias.h"
#include "gimple-expr.h"
#include "gimple.h"
#include "gimple-iterator.h"
#include "cgraph.h"
#include "diagnostic-core.h"
#include "stringpool.h"
#include "options.h"
#include "attribs.h"

/*
 * The version the plugin was built for, in GCC's own words, for the
 * message that refuses a plugin loaded into another GCC: both versions,
 * and when the numbers agree, what else differs (a snapshot's date, a
 * prerelease phase, the configuration), since "built for 12.2.0, loaded
 * into 12.2.0" would tell the user nothing.
 */
static inline const char *pv_gcc_version_difference(const struct plugin_gcc_version *built,
						    const struct plugin_gcc_version *running)
{
	if (strcmp(built->basever, running->basever) != 0)
		return "version";
	if (strcmp(built->datestamp, running->datestamp) != 0)
		return "date stamp";
	if (strcmp(built->devphase, running->devphase) != 0)
		return "development phase";
	if (strcmp(built->revision, running->revision) != 0)
		return "revision";
	return "configuration";
}

#endif
