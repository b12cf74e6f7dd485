/* SPDX-License-Identifier: MIT */
/*
 * The image under audit: what kind of file it is and how to name places
 * in it.
 *
 * Only x86 ELF is accepted. The records say which instruction set their
 * sled holds, and the disassembler must agree with them, so the code width
 * is taken from the ELF machine: x86-64 (and x32, which runs 64-bit code)
 * gives 64-bit records, i386 gives 32-bit ones.
 *
 * A relocatable object (ET_REL: a .o, a kernel module, an archive member)
 * has no addresses yet: every section starts at 0, and a place is only
 * known as (section, offset). A linked file has addresses. Messages name
 * a place the way that is meaningful for the kind of file at hand.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "audit.h"

static bool load_symbols(struct pv_image *img, struct pv_result *r)
{
	bfd *abfd = img->abfd;
	long bound;
	bool dynamic = false;

	if (!(bfd_get_file_flags(abfd) & HAS_SYMS)) {
		/*
		 * A stripped shared object still has its dynamic symbols,
		 * which is enough to name functions.
		 */
		bound = bfd_get_dynamic_symtab_upper_bound(abfd);
		if (bound <= 0) {
			img->syms = pv_xmalloc(sizeof(asymbol *));
			img->syms[0] = NULL;
			img->n_syms = 0;
			return true;
		}
		dynamic = true;
	} else {
		bound = bfd_get_symtab_upper_bound(abfd);
	}
	if (bound < 0) {
		pv_error(img, r, "cannot read the symbol table: %s",
			 bfd_errmsg(bfd_get_error()));
		return false;
	}
	img->syms = pv_xmalloc((size_t)bound + sizeof(asymbol *));
	img->n_syms = dynamic ? bfd_canonicalize_dynamic_symtab(abfd, img->syms)
			      : bfd_canonicalize_symtab(abfd, img->syms);
	if (img->n_syms < 0) {
		pv_error(img, r, "cannot read the symbol table: %s",
			 bfd_errmsg(bfd_get_error()));
		img->n_syms = 0;
		img->syms[0] = NULL;
		return false;
	}
	return true;
}

bool pv_image_setup(struct pv_image *img, bfd *abfd, const char *name,
		    struct pv_result *r)
{
	unsigned long mach;

	img->abfd = abfd;
	img->name = pv_xstrdup(name);

	if (bfd_get_flavour(abfd) != bfd_target_elf_flavour ||
	    bfd_get_arch(abfd) != bfd_arch_i386) {
		pv_error(img, r, "not an x86 ELF file (format %s, architecture %s)",
			 bfd_get_target(abfd),
			 bfd_printable_arch_mach(bfd_get_arch(abfd),
						 bfd_get_mach(abfd)));
		return false;
	}
	mach = bfd_get_mach(abfd);
	if (mach & (bfd_mach_x86_64 | bfd_mach_x64_32)) {
		img->bits = 64;
		img->arch = PREVIRT_ARCH_X86_64;
	} else if (mach & bfd_mach_i386_i386) {
		img->bits = 32;
		img->arch = PREVIRT_ARCH_X86_32;
	} else {
		pv_error(img, r, "unsupported x86 machine '%s' (16-bit or IAMCU code)",
			 bfd_printable_arch_mach(bfd_get_arch(abfd), mach));
		return false;
	}
	/*
	 * libbfd drops every section it cannot name (a corrupt e_shstrndx),
	 * and an image without sections has nothing to audit: saying
	 * "covered" of it would be a lie.
	 */
	if (bfd_count_sections(abfd) == 0) {
		pv_error(img, r, "the file has no sections (or libbfd could not read them): nothing can be audited");
		return false;
	}
	img->relocatable = !(bfd_get_file_flags(abfd) & (EXEC_P | DYNAMIC));
	if (!load_symbols(img, r))
		return false;
	pv_symbols_index(img);
	return true;
}

void pv_image_free(struct pv_image *img)
{
	free(img->name);
	free(img->syms);
	free(img->symrefs);
	img->name = NULL;
	img->syms = NULL;
	img->symrefs = NULL;
}

/*
 * Name a place: ".text+0x1a" in a relocatable object, where only the
 * section says which byte is meant; "0xffffffff81000010" in a linked file,
 * where the address alone does.
 */
void pv_where(const struct pv_image *img, const asection *sec, bfd_vma off,
	      char *buf, size_t size)
{
	if (!sec)
		snprintf(buf, size, "(nowhere)");
	else if (img->relocatable)
		snprintf(buf, size, "%s+0x%llx", bfd_section_name(sec),
			 (unsigned long long)off);
	else
		snprintf(buf, size, "0x%llx",
			 (unsigned long long)(bfd_section_vma(sec) + off));
}

const char *pv_image_kind(const struct pv_image *img)
{
	if (img->relocatable)
		return "relocatable object";
	if (bfd_get_file_flags(img->abfd) & DYNAMIC)
		return "shared object";
	return "executable";
}
