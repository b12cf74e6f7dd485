// SPDX-License-Identifier: MIT
/* The 8259A pair (see previrt/pic8259.h). */
#include <previrt/pic8259.h>

#define CASCADE_IR	2

static void chip_icw1_state(struct previrt_pic_chip *c)
{
	c->imr = 0;
	c->irr = 0;
	c->isr = 0;
	c->lowest = 7;
	c->special_mask = 0;
	c->read_isr = 0;
	c->poll = 0;
	c->auto_eoi = 0;
}

/* The IR of the highest priority among bits, or -1. */
static int highest(const struct previrt_pic_chip *c, uint8_t bits)
{
	for (unsigned int k = 1; k <= 8; k++) {
		unsigned int ir = (c->lowest + k) & 7;

		if (bits & (1u << ir))
			return (int)ir;
	}
	return -1;
}

/* Priority rank of ir: 0 is highest. */
static unsigned int rank(const struct previrt_pic_chip *c, unsigned int ir)
{
	return (ir - c->lowest - 1) & 7;
}

/* The request the chip would present now, or -1 (fully nested mode). */
static int chip_request(const struct previrt_pic_chip *c)
{
	int req, serv;
	uint8_t isr = c->isr;

	if (!c->ready)
		return -1;
	req = highest(c, c->irr & ~c->imr);
	if (req < 0)
		return -1;
	if (c->special_mask)
		isr &= ~c->imr;	/* masked in-service levels do not block */
	serv = highest(c, isr);
	if (serv >= 0 && rank(c, (unsigned int)serv) <= rank(c, (unsigned int)req))
		return -1;
	return req;
}

static void update(struct previrt_pic *p)
{
	struct previrt_pic_chip *m = &p->chip[0];
	int level;

	/* The slave's INT is the master's IR2 input (a level, as wired). */
	if (chip_request(&p->chip[1]) >= 0) {
		if (!(m->lines & (1u << CASCADE_IR)))
			m->irr |= 1u << CASCADE_IR;
		m->lines |= 1u << CASCADE_IR;
	} else {
		m->lines &= ~(1u << CASCADE_IR);
		m->irr &= ~(1u << CASCADE_IR);
	}
	level = chip_request(m) >= 0;
	if (level != p->int_level) {
		p->int_level = level;
		if (p->ops && p->ops->int_changed)
			p->ops->int_changed(p->vcpu, level);
	}
}

void previrt_pic_reset(struct previrt_pic *p, const struct previrt_pic_ops *ops,
		       struct previrt_vcpu *v)
{
	for (int i = 0; i < 2; i++) {
		struct previrt_pic_chip *c = &p->chip[i];

		chip_icw1_state(c);
		c->lines = 0;
		c->base = 0;
		c->init_step = 0;
		c->icw1 = 0;
		c->ready = 0;
	}
	p->ops = ops;
	p->vcpu = v;
	p->int_level = 0;
}

void previrt_pic_set_irq(struct previrt_pic *p, unsigned int irq, int level)
{
	struct previrt_pic_chip *c = &p->chip[irq >= 8];
	uint8_t bit = (uint8_t)(1u << (irq & 7));

	if (irq >= 16 || (irq == CASCADE_IR))
		return;		/* IR2 of the master is the cascade */
	if (level) {
		if (!(c->lines & bit))
			c->irr |= bit;	/* edge-triggered: the rising edge requests */
		c->lines |= bit;
	} else {
		c->lines &= ~bit;
	}
	update(p);
}

int previrt_pic_pending(const struct previrt_pic *p)
{
	return p->int_level;
}

/* Move ir from IRR to ISR (or not, in auto-EOI, where it rotates if asked). */
static void accept(struct previrt_pic_chip *c, unsigned int ir)
{
	c->irr &= ~(1u << ir);
	if (!c->auto_eoi)
		c->isr |= 1u << ir;
}

int previrt_pic_acknowledge(struct previrt_pic *p)
{
	struct previrt_pic_chip *m = &p->chip[0], *s = &p->chip[1];
	int ir = chip_request(m), vector;

	if (ir < 0)
		return -1;
	accept(m, (unsigned int)ir);
	if (ir == CASCADE_IR) {
		int sir = chip_request(s);

		if (sir < 0)
			sir = 7;	/* spurious on the slave: IR7 without ISR */
		else
			accept(s, (unsigned int)sir);
		vector = s->base | sir;
	} else {
		vector = m->base | ir;
	}
	update(p);
	return vector;
}

static void eoi(struct previrt_pic_chip *c, uint8_t ocw2)
{
	unsigned int cmd = ocw2 >> 5, level = ocw2 & 7;
	int ir;

	switch (cmd) {
	case 1:	/* non-specific EOI */
	case 5:	/* rotate on non-specific EOI */
		ir = highest(c, c->isr);
		if (ir < 0)
			return;
		c->isr &= ~(1u << ir);
		if (cmd == 5)
			c->lowest = (uint8_t)ir;
		break;
	case 3:	/* specific EOI */
	case 7:	/* rotate on specific EOI */
		c->isr &= ~(1u << level);
		if (cmd == 7)
			c->lowest = (uint8_t)level;
		break;
	case 6:	/* set priority */
		c->lowest = (uint8_t)level;
		break;
	default:	/* 0 and 4: rotation in auto-EOI mode (not modelled: no effect) */
		break;
	}
}

static uint8_t poll_read(struct previrt_pic *p, struct previrt_pic_chip *c)
{
	int ir = chip_request(c);

	c->poll = 0;
	if (ir < 0)
		return 0;
	accept(c, (unsigned int)ir);
	update(p);
	return (uint8_t)(0x80 | ir);
}

uint8_t previrt_pic_read(struct previrt_pic *p, unsigned int port)
{
	struct previrt_pic_chip *c = &p->chip[(port & 0x80) != 0];

	if (c->poll)
		return poll_read(p, c);
	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

void previrt_pic_write(struct previrt_pic *p, unsigned int port, uint8_t v)
{
	struct previrt_pic_chip *c = &p->chip[(port & 0x80) != 0];

	if (!(port & 1)) {
		if (v & 0x10) {		/* ICW1 */
			chip_icw1_state(c);
			c->icw1 = v;
			c->ready = 0;
			c->init_step = 2;
		} else if (v & 0x08) {	/* OCW3 */
			if (v & 0x02)
				c->read_isr = v & 1;
			if (v & 0x40)
				c->special_mask = (v >> 5) & 1;
			c->poll = (v >> 2) & 1;
		} else {		/* OCW2 */
			eoi(c, v);
		}
	} else {
		switch (c->init_step) {
		case 2:		/* ICW2: vector base */
			c->base = v & 0xf8;
			c->init_step = (c->icw1 & 0x02) ? ((c->icw1 & 1) ? 4 : 0) : 3;
			break;
		case 3:		/* ICW3: cascade wiring (fixed on a PC) */
			c->init_step = (c->icw1 & 1) ? 4 : 0;
			break;
		case 4:		/* ICW4 */
			c->auto_eoi = (v >> 1) & 1;
			c->init_step = 0;
			break;
		default:	/* OCW1 */
			c->imr = v;
			break;
		}
		if (!c->init_step)
			c->ready = 1;
	}
	update(p);
}
