/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the runtime's own files, not by its users.
 */
#ifndef PREVIRT_INTERNAL_H
#define PREVIRT_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>
#include <previrt/backend.h>
#include "site-valid.h"

/* The code size the runtime was built for, and the record arch it patches. */
#ifdef __x86_64__
#define PV_NATIVE_BITS	64
#define PV_NATIVE_ARCH	PREVIRT_ARCH_X86_64
#else
#define PV_NATIVE_BITS	32
#define PV_NATIVE_ARCH	PREVIRT_ARCH_X86_32
#endif

/* log.c: printf-like to env->write; %s %c %d %u %x %lu %lx %ld %p; flags - and 0; a width. */
void pv_log(const struct previrt_env *env, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pv_vlog(const struct previrt_env *env, const char *fmt, va_list ap);
/* Format into buf (always NUL-terminated); returns the length written. */
unsigned int pv_vformat(char *buf, unsigned int size, const char *fmt, va_list ap);
unsigned int pv_format(char *buf, unsigned int size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Freestanding helpers: the kernel archive has no libc to lean on. */
void pv_copy(void *dst, const void *src, unsigned long n);
int pv_same(const void *a, const void *b, unsigned long n);
void pv_zero(void *p, unsigned long n);

/* site-check.c: the shared validator (site-valid.h) on a site in memory. */
/* Record fields and text bounds (no memory access to the sled). */
enum pv_site_fault pv_check_record(const struct previrt_site *s, const struct previrt_env *env);
/*
 * The sled's bytes and the byte before them (unless it is another valid
 * record's, which ov tells): the recorded instruction
 * (decoded into *insn, with *dec_err set to the decoder's error when it
 * fails) followed by NOPs.
 */
struct pv_overlap;
enum pv_site_fault pv_check_sled(const struct previrt_site *s, const struct pv_overlap *ov,
				 const struct previrt_env *env, struct pv_x86_insn *insn,
				 int *dec_err);

/* overlap.c: which sleds of a table share bytes with another valid record's sled. */
struct pv_overlap {
	const struct previrt_site *begin, *end;
	const struct previrt_env *env;	/* for pv_check_record(): only valid records count */
	int sorted;		/* table in address order: only neighbours can overlap */
	unsigned char *marks;	/* else, if memory was lent: one bit per site */
	unsigned char *follows;	/* and one per site: pv_overlap_follows() */
	unsigned long mem_size;
};
void pv_overlap_init(struct pv_overlap *o, const struct previrt_site *begin,
		     const struct previrt_site *end, const struct previrt_env *env);
int pv_overlap_test(const struct pv_overlap *o, const struct previrt_site *s);
/* Does the byte before s's sled belong to another valid record's sled? */
int pv_overlap_follows(const struct pv_overlap *o, const struct previrt_site *s);
void pv_overlap_done(struct pv_overlap *o, const struct previrt_env *env);
/* Report a refused site: "previrt: site #i at ADDR (class NAME, bytes ..): why". */
void pv_report_site(const struct previrt_env *env, const struct previrt_site *s,
		    unsigned long index, const char *verb, const char *why);

/*
 * vcpu.c: operand access with the hardware's rules, shared with vseg.c.
 * pv_vcpu_ea: the effective address of in's memory operand (rip-relative
 * to where it was in the sled, %fs/%gs bases added); pv_reg_write: a
 * register result of size bytes (32-bit zero-extends, 8/16-bit merge,
 * %ah..%bh without REX). (previrt_mem_read/write, sized memory access,
 * are public: previrt/vcpu.h.)
 */
struct previrt_vcpu;
unsigned long pv_vcpu_ea(const struct previrt_vcpu *v, struct previrt_regs *r,
			 const struct pv_x86_insn *in, const struct previrt_site *site);
void pv_reg_write(struct previrt_regs *r, const struct pv_x86_insn *in,
		  unsigned int n, unsigned int size, unsigned long val);

/* emit.c: a rel32 at out4 for an instruction ending at next, to target; -1 out of reach */
int pv_put_rel32(unsigned char *out4, unsigned long next, unsigned long target);

/* dispatch.c */
int pv_dispatch_claim(const struct previrt_site *s, const struct pv_x86_insn *insn,
		      const struct previrt_backend *b, const struct previrt_env *env,
		      unsigned int *slot);
void pv_dispatch_release(unsigned int slot);
/* Forget every slot (the fuzz harness reuses one buffer for every input). */
void pv_dispatch_forget_all(void);
/* The 8 bytes (or sled_len) of a call to the dispatcher for slot, at sled address at. */
int pv_emit_dispatch_call(unsigned char *out, unsigned int sled_len, const unsigned char *at,
			  unsigned int slot, const struct previrt_env *env);

#endif
