/* SPDX-License-Identifier: MIT */
/* Building KIP images for the unit tests (see kip-image.h). */
#include <string.h>
#include "kip-image.h"

void kip_image_put(unsigned char *kip, unsigned int off, uint32_t w)
{
	for (int i = 0; i < 4; i++)
		kip[off + i] = (unsigned char)(w >> (8 * i));
}

void kip_image_build(unsigned char *kip, const struct kip_memdesc_spec *md, unsigned int n)
{
	memset(kip, 0, 4096);
	/* "L4", 230, "K" in memory order */
	kip[0] = 'L';
	kip[1] = '4';
	kip[2] = 230;
	kip[3] = 'K';
	kip_image_put(kip, 0x04, 0x84u << 24 | 0x05u << 16);	/* X.2, subversion 5 */
	kip_image_put(kip, 0x08, 0);				/* little-endian, 32-bit */
	kip_image_put(kip, 0x0c, KIP_TEST_KDESC);
	/* kernel descriptor: id 4 (L4Ka), subid 2 (Pistachio); supplier "UKa " */
	kip_image_put(kip, KIP_TEST_KDESC, 4u << 24 | 2u << 16);
	kip_image_put(kip, KIP_TEST_KDESC + 12, (uint32_t)'U' | 'K' << 8 | 'a' << 16 | ' ' << 24);
	kip_image_put(kip, 0x54, (uint32_t)KIP_TEST_MEMDESC << 16 | n);
	for (unsigned int i = 0; i < n; i++) {
		kip_image_put(kip, KIP_TEST_MEMDESC + 8 * i,
			      (md[i].low & ~0x3ffu) | md[i].is_virtual << 9 | md[i].type);
		kip_image_put(kip, KIP_TEST_MEMDESC + 8 * i + 4, md[i].high & ~0x3ffu);
	}
	kip_image_put(kip, 0xc0, 1000u << 16 | 1u);		/* schedule 1000 us, read 1 us */
	/* thread info: 18 valid bits, system base 16, user base 32 */
	kip_image_put(kip, 0xc4, 32u << 20 | 16u << 8 | 18u);
	/* page info: 4 KiB and 4 MiB pages, rwx */
	kip_image_put(kip, 0xc8, (1u << 12 | 1u << 22) | 7u);
	kip_image_put(kip, 0xcc, 0);				/* one processor */
	for (unsigned int i = 0; i < 11; i++)			/* entries at 0x800 + 0x10 i */
		kip_image_put(kip, 0xd0 + 4 * i, 0x800 + 0x10 * i);
}
