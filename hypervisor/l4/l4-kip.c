/* SPDX-License-Identifier: MIT */
/* Reading an X.2 kernel interface page, every offset checked (see l4-kip.h). */
#include "l4-kip.h"

/* A little-endian word of the image at byte offset off. */
static l4_word_t word_at(const unsigned char *p, unsigned int off)
{
	return (l4_word_t)p[off] | (l4_word_t)p[off + 1] << 8 |
	       (l4_word_t)p[off + 2] << 16 | (l4_word_t)p[off + 3] << 24;
}

static int inside(unsigned int off, unsigned int len, unsigned int size)
{
	return off <= size && len <= size - off;
}

int l4_kip_parse(const void *kip, unsigned int size, struct l4_kip *out)
{
	const unsigned char *p = kip;

	if (!inside(0, L4_KIP_OFF_SYSCALLS + 4 * L4_SYS_COUNT, size))
		return L4_KIP_BAD_OFFSET;
	if (word_at(p, L4_KIP_OFF_MAGIC) != L4_KIP_MAGIC)
		return L4_KIP_BAD_MAGIC;
	out->api_version = word_at(p, L4_KIP_OFF_API_VERSION);
	out->api_flags = word_at(p, L4_KIP_OFF_API_FLAGS);
	if ((out->api_version >> 24) != L4_API_VERSION_X2)
		return L4_KIP_BAD_VERSION;
	/* ee (bits 0..1): 0 little-endian; ww (bits 2..3): 0 32-bit words. */
	if (out->api_flags & 0xfu)
		return L4_KIP_BAD_WORD_SIZE;

	l4_word_t kdesc = word_at(p, L4_KIP_OFF_KERNEL_DESC);
	if (!inside(kdesc, 16, size))
		return L4_KIP_BAD_OFFSET;
	l4_word_t kid = word_at(p, kdesc);
	out->kernel_id = kid >> 24;
	out->kernel_subid = (kid >> 16) & 0xffu;
	out->supplier = word_at(p, kdesc + 12);

	for (unsigned int i = 0; i < L4_SYS_COUNT; i++)
		out->syscall[i] = word_at(p, L4_KIP_OFF_SYSCALLS + 4 * i);

	l4_word_t ti = word_at(p, L4_KIP_OFF_THREAD_INFO);
	out->thread_bits = ti & 0xffu;
	out->system_base = (ti >> 8) & 0xfffu;
	out->user_base = ti >> 20;

	l4_word_t pi = word_at(p, L4_KIP_OFF_PAGE_INFO);
	out->page_size_mask = pi & ~0x3ffu;
	out->page_rights = pi & 0x7u;
	out->processors = (word_at(p, L4_KIP_OFF_PROC_INFO) & 0xffffu) + 1;
	l4_word_t ci = word_at(p, L4_KIP_OFF_CLOCK_INFO);
	out->read_precision = ci & 0xffffu;
	out->schedule_precision = ci >> 16;

	l4_word_t ui = word_at(p, L4_KIP_OFF_UTCB_INFO);
	out->utcb_area_log2 = (ui >> 16) & 0x3fu;
	out->utcb_size = (1u << ((ui >> 10) & 0x1fu)) * (ui & 0x3ffu);
	out->kip_area_log2 = word_at(p, L4_KIP_OFF_KIP_AREA) & 0x3fu;
	out->boot_info = word_at(p, L4_KIP_OFF_BOOT_INFO);

	l4_word_t mi = word_at(p, L4_KIP_OFF_MEMORY_INFO);
	unsigned int n = mi & 0xffffu, off = mi >> 16;
	if (n > L4_KIP_MAX_MEMDESC)
		return L4_KIP_TOO_MANY;
	if (!inside(off, 8 * n, size))
		return L4_KIP_BAD_OFFSET;
	for (unsigned int i = 0; i < n; i++) {
		l4_word_t w0 = word_at(p, off + 8 * i), w1 = word_at(p, off + 8 * i + 4);
		struct l4_memdesc *d = &out->memdesc[i];

		d->type = w0 & 0xffu;
		if ((d->type & 0xfu) < L4_MEM_BOOTLOADER)
			d->type &= 0xfu;	/* subtypes belong to 0xe and 0xf only */
		d->is_virtual = (w0 >> 9) & 1;
		d->low = w0 & ~0x3ffu;
		d->high = (w1 & ~0x3ffu) | 0x3ffu;
	}
	out->n_memdesc = n;
	return L4_KIP_OK;
}

int l4_kip_is_conventional(const struct l4_kip *k, l4_word_t lo, l4_word_t hi)
{
	/* Each byte's type is that of the last physical descriptor covering it;
	 * check the range piece by piece from the last descriptor down. */
	l4_word_t at = lo;

	while (1) {
		int verdict = 0, found = 0;
		l4_word_t piece_end = hi;

		for (unsigned int i = k->n_memdesc; i-- > 0;) {
			const struct l4_memdesc *d = &k->memdesc[i];

			if (d->is_virtual)
				continue;
			if (d->low <= at && at <= d->high) {
				if (!found) {
					found = 1;
					verdict = (d->type & 0xfu) == L4_MEM_CONVENTIONAL;
					if (d->high < piece_end)
						piece_end = d->high;
				}
			} else if (d->low > at && d->low - 1 < piece_end && !found) {
				/* a later descriptor starts inside: the piece ends before it */
				piece_end = d->low - 1;
			}
		}
		if (!found || !verdict)
			return 0;
		if (piece_end >= hi)
			return 1;
		at = piece_end + 1;
	}
}
