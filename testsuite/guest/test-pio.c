/* SPDX-License-Identifier: MIT */
/*
 * Port I/O against devices that answer: the UART (whose scratch and line
 * control registers keep what is written) and the CMOS/RTC. The console
 * itself is port I/O too: every line of this log went through outb.
 */
#include "io.h"
#include "serial.h"
#include "tap.h"
#include "tests.h"

#define UART_LCR	3
#define CMOS_INDEX	0x70
#define CMOS_DATA	0x71
#define CMOS_NMI_OFF	0x80	/* keep NMIs off while the index is set */
#define RTC_SECONDS	0x00
#define RTC_STATUS_B	0x0b
#define RTC_STATUS_D	0x0d
#define RTC_B_BINARY	0x04
#define RTC_D_VALID_RAM	0x80
#define CMOS_SPARE_BYTE	0x7e	/* plain NVRAM, no RTC function */
#define PCI_CONFIG_ADDR	0xcf8
#define PCI_CONFIG_DATA	0xcfc
#define PCI_ENABLE	0x80000000u
#define I440FX_ID	0x12378086u	/* device 1237, vendor 8086: QEMU -M pc host bridge */

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_NMI_OFF | reg, CMOS_INDEX);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_NMI_OFF | reg, CMOS_INDEX);
	outb(v, CMOS_DATA);
}

static int valid_seconds(uint8_t s, int binary)
{
	if (binary)
		return s < 60;
	return (s & 0x0f) <= 9 && (s >> 4) <= 5;
}

void test_pio(void)
{
	tap_case("pio");

	outb(0xa5, COM1_BASE + UART_SCRATCH);
	tap_eq(inb(COM1_BASE + UART_SCRATCH), 0xa5, "UART scratch register reads back 0xa5");
	outb(0x5a, COM1_BASE + UART_SCRATCH);
	tap_eq(inb(COM1_BASE + UART_SCRATCH), 0x5a, "UART scratch register reads back 0x5a");
	tap_eq(inb(COM1_BASE + UART_LCR), 0x03, "UART line control reads back 8N1 as set up");

	tap_eq(cmos_read(RTC_STATUS_D) & RTC_D_VALID_RAM, RTC_D_VALID_RAM,
	       "CMOS status D reports valid RAM");
	uint8_t b = cmos_read(RTC_STATUS_B), s = cmos_read(RTC_SECONDS);
	tap_check(valid_seconds(s, b & RTC_B_BINARY),
		  "RTC seconds are valid in the mode status B names (0x%x, %s)",
		  s, b & RTC_B_BINARY ? "binary" : "BCD");

	uint8_t saved = cmos_read(CMOS_SPARE_BYTE);
	cmos_write(CMOS_SPARE_BYTE, 0x3c);
	tap_eq(cmos_read(CMOS_SPARE_BYTE), 0x3c, "CMOS NVRAM byte reads back 0x3c");
	cmos_write(CMOS_SPARE_BYTE, 0xc3);
	tap_eq(cmos_read(CMOS_SPARE_BYTE), 0xc3, "CMOS NVRAM byte reads back 0xc3");
	cmos_write(CMOS_SPARE_BYTE, saved);

	/* 32-bit ports: the PCI configuration mechanism #1 of the chipset. */
	uint32_t saved_addr = inl(PCI_CONFIG_ADDR);
	outl(PCI_ENABLE, PCI_CONFIG_ADDR);		/* bus 0, device 0, register 0 */
	tap_eq(inl(PCI_CONFIG_ADDR), PCI_ENABLE, "PCI config address reads back (outl/inl)");
	tap_eq(inl(PCI_CONFIG_DATA), I440FX_ID, "PCI 00:00.0 is the i440FX host bridge");
	outl(saved_addr, PCI_CONFIG_ADDR);

	/* String forms: rep outsb into the scratch register, rep insb back. */
	const uint8_t out[3] = { 0x11, 0x22, 0x33 };
	uint8_t in[3] = { 0, 0, 0 };
	outsb(COM1_BASE + UART_SCRATCH, out, 3);
	tap_eq(inb(COM1_BASE + UART_SCRATCH), 0x33, "rep outsb: scratch register holds the last byte");
	insb(COM1_BASE + UART_SCRATCH, in, 3);
	tap_eq((uint64_t)in[0] << 16 | in[1] << 8 | in[2], 0x333333,
	       "rep insb: three reads of the scratch register");
}
