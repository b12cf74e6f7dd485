/* SPDX-License-Identifier: MIT */
/* Message tags, items, time values and the kernel's own messages (see l4-msg.h). */
#include "l4-msg.h"
#include "l4-fpage.h"

l4_word_t l4_tag(unsigned int label, unsigned int untyped, unsigned int typed)
{
	return ((l4_word_t)(label & 0xffffu) << 16) | ((typed & 0x3fu) << 6) | (untyped & 0x3fu);
}

unsigned int l4_tag_label(l4_word_t tag) { return tag >> 16; }
unsigned int l4_tag_untyped(l4_word_t tag) { return tag & 0x3fu; }
unsigned int l4_tag_typed(l4_word_t tag) { return (tag >> 6) & 0x3fu; }
int l4_tag_failed(l4_word_t tag) { return (tag & L4_TAG_ERROR) != 0; }

void l4_map_item(l4_word_t out[2], l4_word_t fpage, l4_word_t snd_base, int grant)
{
	out[0] = (snd_base & ~0x3ffu) | ((grant ? L4_ITEM_GRANT : L4_ITEM_MAP) << 1);
	out[1] = fpage;
}

unsigned int l4_time_period(uint64_t us)
{
	unsigned int e = 0;

	if (us == 0)
		return L4_TIME_ZERO;
	/* Round up, so that a timeout never fires early. */
	while (us > 0x3ff) {
		us = (us + 1) >> 1;
		e++;
	}
	if (e > 31)
		return L4_TIME_NEVER;
	return (e << 10) | (unsigned int)us;
}

uint64_t l4_time_us(unsigned int time)
{
	if (time == L4_TIME_NEVER)
		return UINT64_MAX;
	return (uint64_t)(time & 0x3ffu) << ((time >> 10) & 0x1fu);
}

int l4_pagefault_decode(const struct l4_msg *msg, struct l4_pagefault *pf)
{
	l4_word_t tag = msg->mr[0];

	if ((l4_tag_label(tag) & ~0xfu) != L4_LABEL_PAGEFAULT ||
	    l4_tag_untyped(tag) != 2 || l4_tag_typed(tag) != 0)
		return -1;
	pf->access = l4_tag_label(tag) & L4_FPAGE_RWX;
	pf->addr = msg->mr[1];
	pf->ip = msg->mr[2];
	return 0;
}

void l4_pagefault_reply(struct l4_msg *msg, l4_word_t fpage, l4_word_t snd_base)
{
	msg->mr[0] = l4_tag(0, 0, 2);
	l4_map_item(&msg->mr[1], fpage, snd_base, 0);
}

int l4_exception_decode(const struct l4_msg *msg, struct l4_exception *exc)
{
	const l4_word_t *w = &msg->mr[1];
	l4_word_t tag = msg->mr[0];

	if (l4_tag_label(tag) != L4_LABEL_EXCEPTION || l4_tag_untyped(tag) != L4_EXCEPTION_WORDS)
		return -1;
	exc->eip = w[0];
	exc->eflags = w[1];
	exc->vector = w[2];
	exc->error = w[3];
	exc->edi = w[4];
	exc->esi = w[5];
	exc->ebp = w[6];
	exc->esp = w[7];
	exc->ebx = w[8];
	exc->edx = w[9];
	exc->ecx = w[10];
	exc->eax = w[11];
	return 0;
}

void l4_exception_reply(struct l4_msg *msg, const struct l4_exception *exc)
{
	l4_word_t *w = &msg->mr[1];

	msg->mr[0] = l4_tag(0, L4_EXCEPTION_WORDS, 0);
	w[0] = exc->eip;
	w[1] = exc->eflags;
	w[2] = exc->vector;
	w[3] = exc->error;
	w[4] = exc->edi;
	w[5] = exc->esi;
	w[6] = exc->ebp;
	w[7] = exc->esp;
	w[8] = exc->ebx;
	w[9] = exc->edx;
	w[10] = exc->ecx;
	w[11] = exc->eax;
}

void l4_sigma0_request(struct l4_msg *msg, l4_word_t fpage)
{
	msg->mr[0] = l4_tag(L4_LABEL_SIGMA0, 2, 0);
	msg->mr[1] = fpage;
	msg->mr[2] = 0;		/* attributes: default caching */
}
