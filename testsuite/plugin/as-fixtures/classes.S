/* Every class the C fixtures have (mmio aside: a device accessor is C), as
 * a .S file through gcc and previrt-as: the same sites as the plugin gives. */
/* EXPECT: cli 1 */
/* EXPECT: sti 1 */
/* EXPECT: pushf 1 */
/* EXPECT: popf 1 */
/* EXPECT: hlt 2 */
/* EXPECT: pio 3 */
/* EXPECT: cr 3 */
/* EXPECT: dr 1 */
/* EXPECT: desc_load 4 */
/* EXPECT: desc_store 2 */
/* EXPECT: seg_read 1 */
/* EXPECT: seg_write 3 */
/* EXPECT: far_xfer 1 */
/* EXPECT: seg_check 2 */
/* EXPECT: tlb 1 */
/* EXPECT: cache 1 */
/* EXPECT: msr 2 */
/* EXPECT: pmc 1 */
/* EXPECT: tsc 2 */
/* EXPECT: cpuid 1 */
/* EXPECT: kret 2 */
/* EXPECT64: kret 1 */
/* EXPECT: xcr 1 */
/* EXPECT: mwait 2 */
/* EXPECT: smap 2 */
/* EXPECT: vmx 1 */
/* EXPECT64: swapgs 1 */
/* EXPECT64: fsgsbase 2 */
/* EXPECT-SLED: hlt fb f4 66 0f 1f 44 00 00 */
/* EXPECT-SLED: sti 90 90 90 90 90 90 90 fb */
/* EXPECT-BYTES: pio f3 6e */
#ifdef __x86_64__
# define AX %rax
# define IRET iretq
#else
# define AX %eax
# define IRET iretl
#endif
	.text
	.globl	pv_as_classes
	.type	pv_as_classes, @function
pv_as_classes:
	cli
	sti
	nop
	sti
	hlt
	hlt
	pushf
	popf
	inb	$0x80, %al
	outb	%al, $0x80
	rep outsb
	mov	%cr0, AX
	mov	AX, %cr3
	clts
	mov	%dr7, AX
	lgdt	(AX)
	lidt	(AX)
	lldt	%ax
	ltr	%ax
	sgdt	(AX)
	sidt	(AX)
	mov	%ds, %ax
	mov	%ax, %ss
	mov	%ax, %fs
	pop	%gs
	ljmp	*(AX)
	lsl	%ax, %ax
	lar	%ax, %ax
	invlpg	(AX)
	wbinvd
	rdmsr
	wrmsr
	rdpmc
	rdtsc
	rdtscp
	cpuid
	IRET
	sysexit
	xsetbv
	monitor
	mwait
	stac
	clac
	vmcall
#ifdef __x86_64__
	sysretq
	swapgs
	rdfsbase %rax
	wrgsbase %rax
#endif
	ret
	.size	pv_as_classes, . - pv_as_classes
