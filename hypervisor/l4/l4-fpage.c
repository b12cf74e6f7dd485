/* SPDX-License-Identifier: MIT */
/* Memory and I/O flexpage encoding, and covering a range with fpages (see l4-fpage.h). */
#include "l4-fpage.h"

l4_word_t l4_fpage(l4_word_t base, unsigned int log2_size, unsigned int rights)
{
	if (log2_size < 10 || log2_size >= L4_WORD_BITS)
		return L4_FPAGE_NIL;
	if (base & ((1u << log2_size) - 1))
		return L4_FPAGE_NIL;
	return (base & ~0x3ffu) | (log2_size << 4) | (rights & L4_FPAGE_RWX);
}

l4_word_t l4_fpage_base(l4_word_t fpage)
{
	return fpage & ~0x3ffu;
}

unsigned int l4_fpage_log2_size(l4_word_t fpage)
{
	return (fpage >> 4) & 0x3fu;
}

unsigned int l4_fpage_rights(l4_word_t fpage)
{
	return fpage & L4_FPAGE_RWX;
}

int l4_fpage_contains(l4_word_t fpage, l4_word_t addr)
{
	unsigned int s = l4_fpage_log2_size(fpage);

	if ((fpage & ~0xfu) == L4_FPAGE_COMPLETE)
		return 1;
	if (fpage == L4_FPAGE_NIL || s < 10 || s >= L4_WORD_BITS)
		return 0;
	return ((addr ^ l4_fpage_base(fpage)) >> s) == 0;
}

l4_word_t l4_io_fpage(unsigned int port, unsigned int log2_ports)
{
	if (port > 0xffffu || log2_ports > 16 || (port & ((1u << log2_ports) - 1)))
		return 0;
	return ((l4_word_t)port << 16) | (log2_ports << 10) | (L4_IO_FPAGE_MARKER << 4);
}

int l4_is_io_fpage(l4_word_t fpage)
{
	return ((fpage >> 4) & 0x3fu) == L4_IO_FPAGE_MARKER;
}

unsigned int l4_io_fpage_port(l4_word_t fpage)
{
	return fpage >> 16;
}

unsigned int l4_io_fpage_log2_ports(l4_word_t fpage)
{
	return (fpage >> 10) & 0x3fu;
}

/* Index of the lowest set bit of a nonzero 64-bit value. */
static unsigned int lowest_bit(uint64_t v)
{
	unsigned int n = 0;

	while (!(v & 1)) {
		v >>= 1;
		n++;
	}
	return n;
}

int l4_fpage_cover(l4_word_t start, l4_word_t end, unsigned int rights,
		   l4_word_t *out, unsigned int max)
{
	const uint64_t page = 1u << L4_FPAGE_MIN_LOG2;
	/* 64-bit arithmetic: end 0 is 2^32, and sizes up to 2^31 fit. */
	uint64_t at = start, stop = end ? end : (uint64_t)1 << 32;
	int n = 0;

	if ((at & (page - 1)) || (stop & (page - 1)) || at >= stop)
		return -1;
	while (at < stop) {
		/* As large as the alignment of 'at' allows, without passing stop. */
		unsigned int s = at ? lowest_bit(at) : 31;

		if (s > 31)
			s = 31;
		while (((uint64_t)1 << s) > stop - at)
			s--;
		if ((unsigned int)n < max)
			out[n] = l4_fpage((l4_word_t)at, s, rights);
		n++;
		at += (uint64_t)1 << s;
	}
	return n;
}
