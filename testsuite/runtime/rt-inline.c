// SPDX-License-Identifier: MIT
/*
 * The inline path, run for real: a backend in the style of Xen's, where
 * cli and sti become one store each into an interrupt-mask byte (Xen's
 * vcpu_info event-channel mask), written by previrt_emit_store_byte()
 * into the sled, so that they run without any call; pushf goes through
 * the generic dispatcher and reports IF from that same byte; everything
 * else is emulated by the virtual CPU model.  Checked: the sleds hold the
 * store, executing them flips the byte, no dispatcher entry is taken for
 * them, and pushf agrees with the byte.
 */
#include <stdint.h>
#include <string.h>
#include <previrt/vcpu.h>
#include "rt-check.h"
#include "rt-sites.h"

#define IF_BIT 0x200UL

static volatile unsigned char irq_mask = 1;	/* 1: events masked, as at boot */
static struct previrt_vcpu vcpu;
static unsigned long dispatched;

static int emit_mask(const struct previrt_sled *sled, unsigned char *out)
{
	unsigned char v = sled->insn->op == PV_OP_CLI ? 1 : 0;

	return previrt_emit_store_byte(out, sled, (const void *)&irq_mask, v);
}

static int handle(struct previrt_vcpu *v, struct previrt_regs *regs,
		  const struct pv_x86_insn *insn, const struct previrt_site *site)
{
	dispatched++;
	v->if_flag = !irq_mask;	/* the byte is the truth; the model reads it */
	return previrt_vcpu_emulate(v, regs, insn, site);
}

static struct previrt_backend inline_backend = {
	.name = "inline-test",
	.emit = emit_mask,
	.handle = handle,
	.vcpu = &vcpu,
};

static const struct previrt_backend *const extra[] = { &inline_backend, NULL };

static int sled_is_store(void (*fn)(void), unsigned char value)
{
	const unsigned char *p = (const unsigned char *)fn;
	int32_t rel;

	memcpy(&rel, p + 2, 4);
	/* integers, not pointers: comparing pointers into different objects is undefined */
	return p[0] == 0xc6 && p[1] == 0x05 && p[6] == value &&
		(uintptr_t)p + 7 + (intptr_t)rel == (uintptr_t)&irq_mask;
}

int main(void)
{
	struct previrt_stats st;
	struct previrt_env env;
	unsigned long before;
	unsigned int c;
	int rc;

	for (c = 1; c < PREVIRT_CLASS_COUNT; c++)
		if (previrt_vcpu_emulates_class(c))
			inline_backend.fill[c] = PREVIRT_FILL_GENERIC;
	inline_backend.fill[PREVIRT_CLASS_CLI] = PREVIRT_FILL_INLINE;
	inline_backend.fill[PREVIRT_CLASS_STI] = PREVIRT_FILL_INLINE;

	previrt_hosted_env(&env);
	env.extra_backends = extra;
	rc = previrt_boot("previrt=inline-test", &env, &st);
	CHECK(rc == PREVIRT_OK, "previrt_boot with the inline backend");
	CHECK(st.patched_by_class[PREVIRT_CLASS_CLI] >= 3 && st.patched_by_class[PREVIRT_CLASS_STI] >= 1,
	      "cli and sti sites patched inline (%u, %u)", st.patched_by_class[PREVIRT_CLASS_CLI],
	      st.patched_by_class[PREVIRT_CLASS_STI]);
	CHECK(st.refused == 1, "only the lying record refused (%u)", st.refused);
	CHECK(sled_is_store(rt_cli, 1), "rt_cli's sled is movb $1, irq_mask(%%rip)");
	CHECK(sled_is_store(rt_sti, 0), "rt_sti's sled is movb $0, irq_mask(%%rip)");

	before = dispatched;
	rt_sti();
	CHECK(irq_mask == 0, "sti unmasks");
	rt_cli();
	CHECK(irq_mask == 1, "cli masks");
	CHECK(dispatched == before, "neither went through the dispatcher");
	CHECK(!(rt_save_flags() & IF_BIT), "pushf (dispatched) shows IF clear");
	rt_sti();
	CHECK(rt_save_flags() & IF_BIT, "pushf shows IF set");
	CHECK(dispatched == before + 2, "only the two pushf were dispatched");
	CHECK(rt_cli_keeps_registers(), "every register survives an inline cli");
	CHECK(rt_cli_keeps_flags(), "CF and DF survive an inline cli");
	return rt_done();
}
