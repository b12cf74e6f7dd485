/* SPDX-License-Identifier: MIT */
/*
 * KIP images for the unit tests, built word by word from the X.2 layout
 * (hypervisor/l4/l4-kip.h), so that the parser is checked against the
 * specification rather than against itself.
 */
#ifndef TEST_L4_KIP_IMAGE_H
#define TEST_L4_KIP_IMAGE_H

#include <stdint.h>

#define KIP_TEST_KDESC		0x200	/* kernel descriptor offset */
#define KIP_TEST_MEMDESC	0x300	/* memory descriptors offset */

struct kip_memdesc_spec {
	unsigned int type, is_virtual;
	uint32_t low, high;	/* high inclusive, ends in 0x3ff */
};

/* Fill a 4 KiB image: a Pistachio-like X.2 ia32 KIP with these descriptors. */
void kip_image_build(unsigned char *kip, const struct kip_memdesc_spec *md, unsigned int n);
/* Store a little-endian word at byte offset off. */
void kip_image_put(unsigned char *kip, unsigned int off, uint32_t w);

#endif
