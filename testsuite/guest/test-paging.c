/* SPDX-License-Identifier: MIT */
/*
 * Paging: one virtual page (TEST_VA) and two frames. Two address spaces map
 * the page to different frames; a CR3 switch must change what a load sees.
 * Then PTE changes made visible with INVLPG, a not-present page (#PF with
 * CR2 and error code), a read-only page under CR0.WP, and the accessed and
 * dirty bits the CPU sets. A virtual TLB must get every one of these right.
 */
#include "cpu.h"
#include "paging.h"
#include "probe.h"
#include "tap.h"
#include "tests.h"

#ifdef __x86_64__
#define TEST_VA		0x0000010000000000ull	/* 1 TiB: private to these trees */
#else
#define TEST_VA		0x40000000ull		/* 1 GiB: PDPT entry 1, private to these trees */
#endif
#define MAGIC_A		0xaaaa0000aaaa0001ull
#define MAGIC_B		0xbbbb0000bbbb0002ull

static uint64_t frame_a[512] __attribute__((aligned(GUEST_PAGE_SIZE), section(".bss.pagealigned")));
static uint64_t frame_b[512] __attribute__((aligned(GUEST_PAGE_SIZE), section(".bss.pagealigned")));

static volatile uint64_t *const test_page = (volatile uint64_t *)(uintptr_t)TEST_VA;

static void set_pte(volatile uint64_t *pte, const uint64_t *frame, uint64_t flags)
{
	*pte = virt_to_phys(frame) | flags;
	cpu_invlpg(test_page);
}

static void check_fault(const struct probe *p, uint64_t error, uint64_t cr2, const char *what)
{
	tap_check(p->rec.taken, "%s faults", what);
	tap_eq(p->rec.vector, VEC_PF, "%s: vector", what);
	tap_eq(p->rec.error, error, "%s: error code", what);
	tap_eq(p->rec.cr2, cr2, "%s: CR2", what);
	tap_eq(p->rec.rip, p->insn, "%s: rip is the faulting instruction", what);
}

static void cr3_switch(uint64_t *space_a, uint64_t *space_b, uint64_t original)
{
	cpu_write_cr3(virt_to_phys(space_a));
	tap_eq(cpu_read_cr3(), virt_to_phys(space_a), "CR3 reads back tree A");
	tap_eq(*test_page, MAGIC_A, "tree A maps the page to frame A");
	cpu_write_cr3(virt_to_phys(space_b));
	tap_eq(cpu_read_cr3(), virt_to_phys(space_b), "CR3 reads back tree B");
	tap_eq(*test_page, MAGIC_B, "tree B maps the same page to frame B");
	test_page[1] = MAGIC_B + 1;
	tap_eq(frame_b[1], MAGIC_B + 1, "a store under tree B lands in frame B");
	tap_eq(frame_a[1], 0, "frame A is untouched by it");
	cpu_write_cr3(virt_to_phys(space_a));
	tap_eq(test_page[1], 0, "back on tree A, frame A shows again");
	cpu_write_cr3(original);
	tap_eq(cpu_read_cr3(), original, "CR3 restored to the boot tree");
}

static void invlpg_remap(volatile uint64_t *pte_a)
{
	tap_eq(*test_page, MAGIC_A, "page maps frame A (now in the TLB)");
	set_pte(pte_a, frame_b, PTE_P | PTE_RW);
	tap_eq(*test_page, MAGIC_B, "after PTE change and INVLPG, page maps frame B");
	set_pte(pte_a, frame_a, PTE_P | PTE_RW);
	tap_eq(*test_page, MAGIC_A, "after PTE change and INVLPG, page maps frame A again");
}

static void not_present(volatile uint64_t *pte_a)
{
	struct probe p;

	set_pte(pte_a, frame_a, 0);
	probe_load(test_page, &p);
	check_fault(&p, 0, TEST_VA, "load from a not-present page");
	probe_store(test_page + 2, 1, &p);
	check_fault(&p, PF_WRITE, TEST_VA + 16, "store to a not-present page");
	tap_eq(frame_a[2], 0, "the faulting store changed nothing");
}

static void write_protect(volatile uint64_t *pte_a)
{
	struct probe p;
	uint64_t cr0 = cpu_read_cr0();

	set_pte(pte_a, frame_a, PTE_P);
	cpu_write_cr0(cr0 | CR0_WP);
	probe_store(test_page + 3, 7, &p);
	check_fault(&p, PF_PRESENT | PF_WRITE, TEST_VA + 24, "store to a read-only page with CR0.WP");
	tap_eq(frame_a[3], 0, "with CR0.WP the read-only page is unchanged");
	cpu_write_cr0(cr0 & ~CR0_WP);
	probe_store(test_page + 3, 7, &p);
	tap_check(!p.rec.taken, "without CR0.WP a supervisor store to a read-only page does not fault");
	tap_eq(frame_a[3], 7, "without CR0.WP the store reaches the frame");
	cpu_write_cr0(cr0);
}

static void accessed_dirty(volatile uint64_t *pte_a)
{
	set_pte(pte_a, frame_a, PTE_P | PTE_RW);
	tap_eq(*pte_a & (PTE_A | PTE_D), 0, "fresh PTE has A and D clear");
	(void)*test_page;
	tap_eq(*pte_a & (PTE_A | PTE_D), PTE_A, "a load sets A only");
	test_page[4] = 1;
	tap_eq(*pte_a & (PTE_A | PTE_D), PTE_A | PTE_D, "a store sets D");
}

void test_paging(void)
{
	tap_case("paging");

	frame_a[0] = MAGIC_A;
	frame_b[0] = MAGIC_B;
	uint64_t original = cpu_read_cr3();
	uint64_t *space_a = pml4_new(), *space_b = pml4_new();
	volatile uint64_t *pte_a = pte_lookup(space_a, TEST_VA);
	*pte_a = virt_to_phys(frame_a) | PTE_P | PTE_RW;
	*pte_lookup(space_b, TEST_VA) = virt_to_phys(frame_b) | PTE_P | PTE_RW;

	cr3_switch(space_a, space_b, original);

	cpu_write_cr3(virt_to_phys(space_a));
	invlpg_remap(pte_a);
	not_present(pte_a);
	write_protect(pte_a);
	accessed_dirty(pte_a);
	cpu_write_cr3(original);
}
