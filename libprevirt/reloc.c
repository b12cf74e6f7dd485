// SPDX-License-Identifier: MIT
/*
 * The stubs of the native-relocate backend: see previrt/reloc.h for what
 * a stub holds and why it is reached by jumps.
 *
 * Stubs are carved from the pool in patch order and never given back, so
 * their records are sorted by pool offset: previrt_reloc_origin() finds
 * one by bisection.  The patcher asks for a site's bytes twice (once to
 * judge every site before writing, once to write), so a stub is looked up
 * by its sled's address before one is made: an open-addressed table of
 * record numbers, twice as many buckets as records.
 */
#include "internal.h"
#include <previrt/reloc.h>

#ifndef PREVIRT_RELOC_STUBS
#define PREVIRT_RELOC_STUBS 4096
#endif
#define RELOC_BUCKETS (2 * PREVIRT_RELOC_STUBS)
#define JMP_LEN 5
#define PV_RELOC_MAX_STUB (15 + JMP_LEN)

struct pv_stub {
	unsigned char *sled;
	unsigned int pool_off;		/* where the stub starts in the pool */
	unsigned char len;		/* stub bytes, the jump back included */
	unsigned char body;		/* bytes before the jump back: 0 for pad-first */
	unsigned char sled_len;
	unsigned char insn_off;		/* where the pad-first instruction stays */
};

static struct pv_stub stubs[PREVIRT_RELOC_STUBS];
static unsigned short buckets[RELOC_BUCKETS];	/* record number + 1; 0: empty */
static unsigned int stubs_used;
static unsigned long pool_used;

_Static_assert(PREVIRT_RELOC_STUBS < 65536, "bucket entries are 16 bits");

unsigned int previrt_reloc_stubs_used(void)
{
	return stubs_used;
}

unsigned long previrt_reloc_pool_used(void)
{
	return pool_used;
}

static unsigned int bucket_of(const unsigned char *sled)
{
	unsigned long h = (unsigned long)sled;

	h ^= h >> 15;
	h *= 0x9e3779b1u;
	return (unsigned int)(h >> 7) % RELOC_BUCKETS;
}

static struct pv_stub *find_stub(const unsigned char *sled)
{
	unsigned int b = bucket_of(sled);

	while (buckets[b]) {
		if (stubs[buckets[b] - 1].sled == sled)
			return &stubs[buckets[b] - 1];
		b = (b + 1) % RELOC_BUCKETS;
	}
	return 0;
}

static void remember_stub(unsigned int n)
{
	unsigned int b = bucket_of(stubs[n].sled);

	while (buckets[b])
		b = (b + 1) % RELOC_BUCKETS;
	buckets[b] = (unsigned short)(n + 1);
}

/*
 * Move a rip-relative displacement so that the copy at stub addresses
 * what the original did.  The disp32 sits just before the immediate; it
 * is checked against what the decoder read before it is changed.
 */
static int move_rip_disp(unsigned char *copy, unsigned int insn_at,
			 const struct pv_x86_insn *insn, long delta)
{
	unsigned char *d;
	long disp;
	unsigned int i;

	if (!insn->has_mem || insn->mem.base != PV_REG_RIP)
		return 0;
	if (insn->len < insn->imm_len + 5u)
		return -1;
	d = copy + insn_at + insn->len - insn->imm_len - 4;
	disp = (long)(int)((unsigned int)d[0] | (unsigned int)d[1] << 8 |
			   (unsigned int)d[2] << 16 | (unsigned int)d[3] << 24);
	if (disp != (long)insn->mem.disp)
		return -1;
	disp += delta;
	if (disp != (long)(int)disp)
		return -1;
	for (i = 0; i < 4; i++)
		d[i] = (unsigned char)((unsigned long)disp >> (8 * i));
	return 0;
}

static int write_text(const struct previrt_env *env, unsigned char *at, const unsigned char *buf,
		      unsigned int n)
{
	if (env && env->poke) {
		if (env->poke(at, buf, n, env->ctx))
			return -1;
	} else {
		pv_copy(at, buf, n);
	}
	return pv_same(at, buf, n) ? 0 : -1;
}

static struct pv_stub *make_stub(const struct previrt_sled *sled)
{
	const struct previrt_site *s = sled->site;
	unsigned char buf[PV_RELOC_MAX_STUB];
	unsigned char *stub = previrt_reloc_pool + pool_used;
	unsigned long room = (unsigned long)(previrt_reloc_pool_end - stub);
	unsigned int body = 0, back;
	unsigned long back_to;
	struct pv_stub *r;

	if (stubs_used == PREVIRT_RELOC_STUBS)
		return 0;
	if (s->flags & PREVIRT_F_PAD_FIRST) {
		back_to = (unsigned long)sled->addr + previrt_site_insn_offset(s);
	} else {
		/* the whole instruction, with the sti of a pair: offset 0 either way */
		body = s->insn_len;
		pv_copy(buf, sled->addr, body);
		if (PV_NATIVE_BITS == 64 &&
		    move_rip_disp(buf, previrt_site_insn_offset(s), sled->insn,
				  (long)((unsigned long)sled->addr - (unsigned long)stub)))
			return 0;
		back_to = (unsigned long)sled->addr + s->sled_len;
	}
	back = body + JMP_LEN;
	if (room < back)
		return 0;
	buf[body] = 0xe9;
	if (pv_put_rel32(buf + body + 1, (unsigned long)stub + back, back_to))
		return 0;
	if (write_text(sled->env, stub, buf, back))
		return 0;
	r = &stubs[stubs_used];
	r->sled = sled->addr;
	r->pool_off = (unsigned int)pool_used;
	r->len = (unsigned char)back;
	r->body = (unsigned char)body;
	r->sled_len = s->sled_len;
	r->insn_off = (unsigned char)previrt_site_insn_offset(s);
	remember_stub(stubs_used++);
	pool_used += back;
	return r;
}

int previrt_reloc_emit(const struct previrt_sled *sled, unsigned char *out)
{
	const struct previrt_site *s = sled->site;
	unsigned int pad = s->sled_len - s->insn_len;
	struct pv_stub *r;

	/* the jump out must fit where nothing else lives: the sled, or a pad-first sled's padding */
	if (s->sled_len < JMP_LEN || ((s->flags & PREVIRT_F_PAD_FIRST) && pad < JMP_LEN))
		return -1;
	r = find_stub(sled->addr);
	if (!r)
		r = make_stub(sled);
	if (!r)
		return -1;
	if (previrt_emit_jmp(out, sled, previrt_reloc_pool + r->pool_off))
		return -1;
	if (s->flags & PREVIRT_F_PAD_FIRST) {
		pv_copy(out + pad, sled->addr + pad, s->insn_len);
	}
	return 0;
}

unsigned long previrt_reloc_origin(unsigned long ip)
{
	unsigned long lo = (unsigned long)previrt_reloc_pool, off;
	unsigned int a = 0, z = stubs_used;
	const struct pv_stub *r;

	if (ip < lo || ip >= lo + pool_used)
		return ip;
	off = ip - lo;
	while (z - a > 1) {	/* last record starting at or before off */
		unsigned int m = a + (z - a) / 2;

		if (stubs[m].pool_off <= off)
			a = m;
		else
			z = m;
	}
	r = &stubs[a];
	off -= r->pool_off;
	if (!r->body)	/* pad-first: the jump back stands for the sled's start */
		return (unsigned long)r->sled;
	if (off < r->body)
		return (unsigned long)r->sled + off;
	return (unsigned long)r->sled + r->sled_len;
}
