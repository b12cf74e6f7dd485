/* SPDX-License-Identifier: MIT */
/* Encoding and decoding the VMM-monitor calls (see l4-vmm-proto.h). */
#include "l4-vmm-proto.h"

unsigned int l4_vmm_console(struct l4_msg *msg, const char *s, unsigned int n)
{
	unsigned int words;

	if (n > L4_VMM_CONSOLE_MAX)
		n = L4_VMM_CONSOLE_MAX;
	words = (n + 3) / 4;
	for (unsigned int w = 0; w < words; w++)
		msg->mr[2 + w] = 0;
	for (unsigned int i = 0; i < n; i++)
		msg->mr[2 + i / 4] |= (l4_word_t)(unsigned char)s[i] << (8 * (i % 4));
	msg->mr[1] = n;
	msg->mr[0] = l4_tag(L4_VMM_CONSOLE, 1 + words, 0);
	return n;
}

void l4_vmm_port_in(struct l4_msg *msg, unsigned int port, unsigned int size)
{
	msg->mr[0] = l4_tag(L4_VMM_PORT_IN, 2, 0);
	msg->mr[1] = port;
	msg->mr[2] = size;
}

void l4_vmm_port_out(struct l4_msg *msg, unsigned int port, unsigned int size, uint32_t value)
{
	msg->mr[0] = l4_tag(L4_VMM_PORT_OUT, 3, 0);
	msg->mr[1] = port;
	msg->mr[2] = size;
	msg->mr[3] = value;
}

void l4_vmm_shutdown(struct l4_msg *msg, unsigned int status)
{
	msg->mr[0] = l4_tag(L4_VMM_SHUTDOWN, 1, 0);
	msg->mr[1] = status;
}

void l4_vmm_map(struct l4_msg *msg, l4_word_t gpa, l4_word_t va, unsigned int rights)
{
	msg->mr[0] = l4_tag(L4_VMM_MAP, 3, 0);
	msg->mr[1] = gpa;
	msg->mr[2] = va;
	msg->mr[3] = rights;
}

static int valid_port(unsigned int port, unsigned int size)
{
	return port <= 0xffffu && (size == 1 || size == 2 || size == 4);
}

int l4_vmm_decode(const struct l4_msg *msg, struct l4_vmm_call *call)
{
	l4_word_t tag = msg->mr[0];
	unsigned int u = l4_tag_untyped(tag);

	if (l4_tag_typed(tag) != 0 || l4_tag_failed(tag))
		return -1;
	call->op = l4_tag_label(tag);
	switch (call->op) {
	case L4_VMM_CONSOLE:
		call->n = msg->mr[1];
		if (u < 1 || call->n > L4_VMM_CONSOLE_MAX || u != 1 + (call->n + 3) / 4)
			return -1;
		for (unsigned int i = 0; i < call->n; i++)
			call->text[i] = (char)(msg->mr[2 + i / 4] >> (8 * (i % 4)));
		return 0;
	case L4_VMM_PORT_IN:
		call->port = msg->mr[1];
		call->size = msg->mr[2];
		return u == 2 && valid_port(call->port, call->size) ? 0 : -1;
	case L4_VMM_PORT_OUT:
		call->port = msg->mr[1];
		call->size = msg->mr[2];
		call->value = msg->mr[3];
		return u == 3 && valid_port(call->port, call->size) ? 0 : -1;
	case L4_VMM_SHUTDOWN:
		call->value = msg->mr[1];
		return u == 1 ? 0 : -1;
	case L4_VMM_MAP:
		call->gpa = msg->mr[1];
		call->va = msg->mr[2];
		call->rights = msg->mr[3];
		return u == 3 && !(call->gpa & 0xfffu) && !(call->va & 0xfffu) &&
		       call->rights && call->rights <= 7 ? 0 : -1;
	}
	return -1;
}

void l4_vmm_reply(struct l4_msg *msg)
{
	msg->mr[0] = l4_tag(0, 0, 0);
}

void l4_vmm_reply_value(struct l4_msg *msg, uint32_t value)
{
	msg->mr[0] = l4_tag(0, 1, 0);
	msg->mr[1] = value;
}

int l4_vmm_reply_decode(const struct l4_msg *msg, uint32_t *value)
{
	l4_word_t tag = msg->mr[0];

	if (l4_tag_failed(tag) || l4_tag_label(tag) != 0 || l4_tag_untyped(tag) != 1 ||
	    l4_tag_typed(tag) != 0)
		return -1;
	*value = msg->mr[1];
	return 0;
}
