/*
 * Code previrt leaves as it was, in the shapes a real x86 test suite
 * (built with -Werror) is full of: forced-emulation prefixes, .code16,
 * sensitive code in another section, bytes it cannot read. None of it
 * may break a -Werror build: each kind is one grouped note per unit
 * (run-options.sh checks the notes; -fplugin-arg-previrt-werror makes
 * them errors). Hypercalls written as bytes are what they are: vmx sites.
 */
/* EXPECT: vmx 2 */
/* EXPECT-FLAG: raw 2 */
/* EXPECT-WARN: 9 */

#ifdef __x86_64__
#define BACK ".code64"
#else
#define BACK ".code32"
#endif

unsigned int fx_fep(unsigned int leaf)
{
	unsigned int a = leaf, b, c = 0, d;

	/* KVM's forced-emulation prefix, as kvm-unit-tests writes it */
	asm volatile("ud2; .byte 'k', 'v', 'm'; cpuid"
		     : "+a" (a), "=b" (b), "+c" (c), "=d" (d));
	asm volatile("ud2; .ascii \"kvm\"; cpuid"
		     : "+a" (a), "=b" (b), "+c" (c), "=d" (d));
	/* Xen's, as Linux's XEN_EMULATE_PREFIX writes it, and as ud2a + .ascii */
	asm volatile(".byte 0x0f,0x0b,0x78,0x65,0x6e ; cpuid"
		     : "+a" (a), "=b" (b), "+c" (c), "=d" (d));
	asm volatile("ud2a; .ascii \"xen\"; cpuid"
		     : "+a" (a), "=b" (b), "+c" (c), "=d" (d));
	return a + b + c + d;
}

void fx_hypercalls(void)
{
	asm volatile(".byte 0x0f,0x01,0xc1" : : : "memory");	/* vmcall */
	asm volatile(".byte 0x0f,0x01,0xd9" : : : "memory");	/* vmmcall */
}

void fx_real_mode(void)
{
	asm volatile(".code16\n\tcli\n\t.byte 0xfb\n\t" BACK : : : "memory");
}

void fx_other_section(void)
{
	asm volatile(".pushsection .text.fx_other, \"ax\"\n\tsti\n\thlt\n\t.popsection"
		     : : : "memory");
}

void fx_unreadable(void)
{
	asm volatile(".byte 0x0f,0x01,0xc7" : : : "memory");	/* no instruction */
}
