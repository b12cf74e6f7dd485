/* The same instructions as same.c (run-as-fixtures.sh compares the two). */
/* EXPECT: cli 1 */
/* EXPECT: sti 1 */
/* EXPECT: pushf 1 */
/* EXPECT: popf 1 */
/* EXPECT: cache 1 */
/* EXPECT: hlt 1 */
/* EXPECT: msr 1 */
	.text
	.globl	pv_same
pv_same:
	cli
	sti
	pushf
	popf
	wbinvd
	sti
	hlt
	rdmsr
	ret
