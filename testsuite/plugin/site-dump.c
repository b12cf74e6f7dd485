// SPDX-License-Identifier: MIT
/*
 * site-dump: linked together with a plugin-built object, walks the
 * previrt_sites table of the resulting executable without ever running the
 * fixture code, checks every record against the ABI by itself (independently
 * of libprevirt, so that a runtime bug cannot hide a plugin bug), and prints
 * one line per site for the test script to compare with the fixture's
 * EXPECT lines.
 *
 * Exit status: 0 all records valid, 1 something is wrong (said on stderr).
 */
#include <stdio.h>
#include <string.h>

#include "previrt/abi.h"

/* Length of the NOP starting at b (the encodings gas's .nops emits), or 0. */
static unsigned int nop_len(const unsigned char *b, unsigned int n)
{
	unsigned int i = 0, mod, rm, len;

	if (b[0] == 0x90)
		return 1;
	while (i < n && (b[i] == 0x66 || b[i] == 0x2e))
		i++;
	if (i < n && b[i] == 0x90 && i == 1)
		return 2;
	if (n < i + 3 || b[i] != 0x0f || b[i + 1] != 0x1f)
		return 0;
	mod = b[i + 2] >> 6;
	rm = b[i + 2] & 7;
	if ((b[i + 2] >> 3 & 7) != 0 || mod == 3)
		return 0;
	len = i + 3 + (rm == 4);
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;
	return len <= n ? len : 0;
}

int main(void)
{
	const struct previrt_site *s, *o, *start = __start_previrt_sites,
				     *stop = __stop_previrt_sites;
	int bad = 0, count = 0;
	unsigned int expect_arch = sizeof(void *) == 8 ? PREVIRT_ARCH_X86_64 : PREVIRT_ARCH_X86_32;

	if (!start) {
		printf("sites 0\n");
		return 0;
	}
	for (s = start; s < stop; s++, count++) {
		const unsigned char *sled = previrt_site_sled(s);
		unsigned int i, want;

		unsigned int at = previrt_site_insn_offset(s), pad = previrt_site_pad_offset(s);

		printf("site class=%s flags=%s%s%s%s%s insn=%u sled=%u bytes=",
		       previrt_class_name(s->klass),
		       s->flags & PREVIRT_F_DEVICE ? "device," : "",
		       s->flags & PREVIRT_F_RAW_BYTES ? "raw," : "",
		       s->flags & PREVIRT_F_PREFIXED ? "prefixed," : "",
		       s->flags & PREVIRT_F_PAD_FIRST ? "pad-first," : "",
		       s->flags & PREVIRT_F_STI_PAIR ? "sti-pair," : "",
		       s->insn_len, s->sled_len);
		/* the instruction(s), wherever the shape puts them */
		for (i = 0; i < s->insn_len; i++)
			printf("%s%02x", i ? " " : "", sled[i + (pad ? 0 : s->sled_len - s->insn_len)]);
		printf("\n");
		/* the whole sled, for byte-wise checks of the shape */
		printf("sled class=%s all=", previrt_class_name(s->klass));
		for (i = 0; i < s->sled_len; i++)
			printf("%s%02x", i ? " " : "", sled[i]);
		printf("\n");
		if ((s->flags & PREVIRT_F_STI_PAIR) && (sled[0] != 0xfb || at != 1)) {
			fprintf(stderr, "site %d: sti pair does not start with sti\n", count);
			bad = 1;
		}

		if (s->version != PREVIRT_ABI_VERSION || s->arch != expect_arch ||
		    s->klass == 0 || s->klass >= PREVIRT_CLASS_COUNT ||
		    (s->flags & ~PREVIRT_F_KNOWN) || s->slot || s->reserved) {
			fprintf(stderr, "site %d: bad header (version %u arch %u class %u flags %#x)\n",
				count, s->version, s->arch, s->klass, s->flags);
			bad = 1;
		}
		want = s->insn_len < PREVIRT_X86_SLED_BUDGET ? PREVIRT_X86_SLED_BUDGET : s->insn_len;
		if (s->insn_len == 0 || s->sled_len != want) {
			fprintf(stderr, "site %d (%s): sled %u bytes for a %u-byte instruction, want %u\n",
				count, previrt_class_name(s->klass), s->sled_len, s->insn_len, want);
			bad = 1;
		}
		for (i = pad; i < pad + s->sled_len - s->insn_len;) {
			unsigned int l = nop_len(sled + i, pad + s->sled_len - s->insn_len - i);

			if (!l) {
				fprintf(stderr, "site %d (%s): padding byte %u (%02x) is not a NOP\n",
					count, previrt_class_name(s->klass), i, sled[i]);
				bad = 1;
				break;
			}
			i += l;
		}
		for (o = start; o < s; o++) {
			const unsigned char *os = previrt_site_sled(o);

			if (sled < os + o->sled_len && os < sled + s->sled_len) {
				fprintf(stderr, "site %d overlaps site %d\n", count, (int)(o - start));
				bad = 1;
			}
		}
	}
	printf("sites %d\n", count);
	return bad;
}
