/* SPDX-License-Identifier: MIT */
/*
 * A guest-physical memory for the page-walk and virtual-TLB tests: a byte
 * array the test fills with page tables, and the two accessors the walker
 * takes (previrt_pw_mem), which refuse anything outside it.
 */
#ifndef TEST_GUEST_MEM_H
#define TEST_GUEST_MEM_H

#include <string.h>
#include <previrt/pagewalk.h>

#define MEM_SIZE	(64 * 4096)
static unsigned char mem[MEM_SIZE];

static int rd(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t *val)
{
	(void)v;
	if (gpa + size > MEM_SIZE)
		return -1;
	*val = 0;
	memcpy(val, mem + gpa, size);
	return 0;
}

static int setb(struct previrt_vcpu *v, uint64_t gpa, unsigned int size, uint64_t bits)
{
	uint64_t e;

	if (rd(v, gpa, size, &e))
		return -1;
	e |= bits;
	memcpy(mem + gpa, &e, size);
	return 0;
}

static void put(uint64_t gpa, uint64_t e)
{
	memcpy(mem + gpa, &e, 8);
}

#endif
