/* SPDX-License-Identifier: MIT */
/*
 * One instruction at a time through libopcodes, as text.
 *
 * The classifier reads AT&T text, the same text gas reads from inline asm,
 * so the disassembler is asked for AT&T syntax and its output is caught in
 * a buffer instead of going to stdout. libopcodes pads the mnemonic with
 * spaces for column layout; runs of blanks are folded to one so that the
 * text reads like source ("mov %cr3,%rax").
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

#define TEXT_MAX 256

struct pv_disasm {
	struct disassemble_info info;
	disassembler_ftype decode;
	bfd_vma base;		/* vma of offset 0 of the current section */
	char text[TEXT_MAX];
	size_t used;
	bool memory_error;
};

static void append(struct pv_disasm *d, const char *fmt, va_list ap)
{
	size_t room = sizeof(d->text) - d->used;
	int n;

	if (room <= 1)
		return;
	n = vsnprintf(d->text + d->used, room, fmt, ap);
	if (n > 0)
		d->used += (size_t)n < room ? (size_t)n : room - 1;
}

static int catch_text(void *stream, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(stream, fmt, ap);
	va_end(ap);
	return 0;
}

static int catch_styled_text(void *stream, enum disassembler_style style,
			     const char *fmt, ...)
{
	va_list ap;

	(void)style;
	va_start(ap, fmt);
	append(stream, fmt, ap);
	va_end(ap);
	return 0;
}

/* An instruction running off the end of the section: not a crash. */
static void note_memory_error(int status, bfd_vma vma,
			      struct disassemble_info *info)
{
	struct pv_disasm *d = info->stream;

	(void)status;
	(void)vma;
	d->memory_error = true;
}

/* Fold runs of blanks to one; drop leading and trailing ones. */
static void fold_blanks(char *s)
{
	char *out = s;
	bool pending = false;

	for (const char *in = s; *in; in++) {
		if (*in == ' ' || *in == '\t') {
			pending = out != s;
			continue;
		}
		if (pending)
			*out++ = ' ';
		pending = false;
		*out++ = *in;
	}
	*out = '\0';
}

struct pv_disasm *pv_disasm_new(struct pv_image *img)
{
	struct pv_disasm *d = pv_xmalloc(sizeof(*d));
	bfd *abfd = img->abfd;

	memset(d, 0, sizeof(*d));
	d->decode = disassembler(bfd_get_arch(abfd), bfd_big_endian(abfd),
				 bfd_get_mach(abfd), abfd);
	if (!d->decode) {
		free(d);
		return NULL;
	}
	init_disassemble_info(&d->info, d, catch_text, catch_styled_text);
	d->info.arch = bfd_get_arch(abfd);
	d->info.mach = bfd_get_mach(abfd);
	d->info.endian = BFD_ENDIAN_LITTLE;
	d->info.disassembler_options = "att";
	d->info.memory_error_func = note_memory_error;
	disassemble_init_for_target(&d->info);
	return d;
}

void pv_disasm_free(struct pv_disasm *d)
{
	if (d)
		disassemble_free_target(&d->info);
	free(d);
}

void pv_disasm_section(struct pv_disasm *d, asection *sec,
		       const bfd_byte *bytes, bfd_size_type size)
{
	d->base = bfd_section_vma(sec);
	d->info.section = sec;
	d->info.buffer = (bfd_byte *)bytes;
	d->info.buffer_vma = d->base;
	d->info.buffer_length = size;
}

/*
 * Decode the instruction at 'off' of the current section. Returns its
 * length and points *text at its text (valid until the next call), or
 * returns -1 when the bytes end inside an instruction.
 */
int pv_disasm_one(struct pv_disasm *d, bfd_vma off, const char **text)
{
	int len;

	d->used = 0;
	d->text[0] = '\0';
	d->memory_error = false;
	len = d->decode(d->base + off, &d->info);
	if (len <= 0 || d->memory_error) {
		snprintf(d->text, sizeof(d->text), "(truncated)");
		*text = d->text;
		return -1;
	}
	fold_blanks(d->text);
	*text = d->text;
	return len;
}
