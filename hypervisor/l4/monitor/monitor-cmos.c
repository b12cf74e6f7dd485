/* SPDX-License-Identifier: MIT */
/*
 * The guest's CMOS/RTC ports (0x70 index, 0x71 data), shared with the L4
 * kernel: Pistachio runs its timer on the RTC's periodic interrupt and
 * reads register C in the handler, which also moves the index register.
 * So the guest's index is latched here, never written on its own, and
 * each access is a complete index-then-data pair that is repeated until
 * two agree (a kernel interrupt between the two halves shows as a
 * mismatch). What the kernel's timer depends on is not the guest's to
 * change: writes to the clock and registers A to D are dropped, and
 * register C (reading it acknowledges the kernel's interrupt) reads as 0.
 * The NVRAM bytes (0x0e-0x7f) are the guest's: writes go through, and are
 * read back until they took.
 */
#include <previrt/x86-port-io.h>
#include "monitor.h"

#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define NMI_OFF		0x80	/* index bit 7: NMI masking, not an address */
#define REG_C		0x0c
#define FIRST_NVRAM	0x0e
#define TRIES		100

static uint8_t index_reg;

static uint8_t read_once(uint8_t reg)
{
	previrt_port_write(CMOS_INDEX, 1, reg);
	return (uint8_t)previrt_port_read(CMOS_DATA, 1);
}

static uint8_t read_agreed(uint8_t reg)
{
	uint8_t a = read_once(reg), b = read_once(reg);

	for (int i = 0; i < TRIES && a != b; i++) {
		a = b;
		b = read_once(reg);
	}
	return b;
}

uint32_t mon_cmos_in(unsigned int port)
{
	uint8_t reg = index_reg & ~NMI_OFF;

	if (port == CMOS_INDEX)
		return index_reg;
	return reg == REG_C ? 0 : read_agreed(reg);
}

void mon_cmos_out(unsigned int port, uint8_t value)
{
	uint8_t reg = index_reg & ~NMI_OFF;

	if (port == CMOS_INDEX) {
		index_reg = value;
		return;
	}
	if (reg < FIRST_NVRAM)
		return;
	for (int i = 0; i < TRIES; i++) {
		previrt_port_write(CMOS_INDEX, 1, reg);
		previrt_port_write(CMOS_DATA, 1, value);
		if (read_agreed(reg) == value)
			return;
	}
}
