// SPDX-License-Identifier: MIT
/*
 * The same program under the native backend: every sled keeps its
 * instruction byte for byte (only the padding may become canonical NOPs),
 * and the unprivileged sensitive instructions still run natively and
 * correctly: pushf shows the real IF (set, in user space), cpuid gives
 * the real vendor, mov %cs shows RPL 3.
 */
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>
#include <previrt/runtime.h>
#include <previrt/x86-insn.h>
#include "rt-check.h"
#include "rt-sites.h"

int main(void)
{
	const struct previrt_site *s, *b = __start_previrt_sites, *e = __stop_previrt_sites;
	unsigned int n = (unsigned int)(e - b), i, at, insn_same = 1, pad_canon = 1;
	unsigned char (*before)[16] = calloc(n ? n : 1, 16);
	unsigned char lying_before[8], want[16];
	struct previrt_stats st;
	struct previrt_env env;
	uint32_t id[4], a, bb, c, d;
	uint64_t t0, t1;
	int rc;

	for (s = b, i = 0; s < e; s++, i++)
		memcpy(before[i], previrt_site_sled(s), s->sled_len);
	memcpy(lying_before, rt_lying_sled, 8);

	previrt_hosted_env(&env);
	rc = previrt_boot("previrt=native", &env, &st);
	CHECK(rc == PREVIRT_OK, "previrt_boot native");
	CHECK(n >= 30 && st.sites == n, "%u records seen", st.sites);
	CHECK(st.kept == n - 1 && st.patched == 0, "all kept (%u), none patched", st.kept);
	CHECK(st.refused == 1, "the lying record refused (%u)", st.refused);
	CHECK(memcmp(lying_before, rt_lying_sled, 8) == 0, "the refused sled is byte-exact");

	for (s = b, i = 0; s < e; s++, i++) {
		const unsigned char *p = previrt_site_sled(s);

		if (p == rt_lying_sled)
			continue;
		/* the instruction(s) wherever the sled's shape puts them (abi.h) */
		at = s->flags & PREVIRT_F_PAD_FIRST ? s->sled_len - s->insn_len : 0;
		if (memcmp(p + at, before[i] + at, s->insn_len))
			insn_same = 0;
		memcpy(want, before[i], s->sled_len);
		pv_x86_fill_nops(want + previrt_site_pad_offset(s), s->sled_len - s->insn_len);
		if (memcmp(p, want, s->sled_len))
			pad_canon = 0;
	}
	CHECK(insn_same, "every instruction is byte-for-byte the original");
	CHECK(pad_canon, "every padding is canonical NOPs");

	CHECK(rt_save_flags() & 0x200, "pushf shows the real IF, set in user space");
	rt_restore_flags(rt_save_flags());
	CHECK(rt_pushf_popf_stack_exact(), "pushf/popf native, stack exact");
	rt_cpuid(0, id);
	__cpuid(0, a, bb, c, d);
	CHECK(id[0] == a && id[1] == bb && id[2] == c && id[3] == d, "cpuid gives the host's vendor");
	t0 = rt_rdtsc();
	t1 = rt_rdtsc();
	CHECK(t1 > t0, "rdtsc advances");
	CHECK((rt_read_cs() & 3) == 3, "mov %%cs shows RPL 3 natively");
	free(before);
	return rt_done();
}
