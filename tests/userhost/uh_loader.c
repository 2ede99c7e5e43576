/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR AND CONTRIBUTORS ``AS IS'' AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE AUTHOR OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
 * OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
 * HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT
 * LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 */

/*
 * The kldload analogue: loads an x86-64 ET_REL patch object into this
 * process.  Like the FreeBSD kernel linker it places the allocated sections,
 * binds undefined __start_<sec>/__stop_<sec> to the object's own section,
 * resolves other undefined symbols against the running program's symbol
 * table and applies the relocations; then text becomes read+exec and
 * nothing stays writable and executable.  Unlike the kernel linker it
 * validates every offset and range first: the object is untrusted input.
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uh.h"

#define UH_MAX_OBJ	(64u << 20)
#define UH_PAGE		4096u

enum { K_TEXT, K_RODATA, K_DATA, K_N };

struct ld {
	const unsigned char	*img;
	size_t			len;
	const Elf64_Ehdr	*eh;
	const Elf64_Shdr	*sh;
	const Elf64_Sym		*syms;
	size_t			nsyms;
	const char		*strtab;
	size_t			strsz;
	const char		*shstr;
	size_t			shstrsz;
	uint64_t		*secaddr;	/* 0: not loaded */
	uint64_t		*symval;
	/*
	 * Veneers: "jmp *addr(%rip)" stubs in the module's text for calls to
	 * functions out of rel32 reach (a shared library's, in a hosted
	 * kernel, as the program's PLT does); one slot per undefined symbol.
	 */
	uint64_t		veneers;	/* address of the first slot */
	size_t			nveneers;	/* slots reserved */
	size_t			nused;
	uint64_t		*veneer;	/* per symbol, 0: none yet */
	const char		*modname;
	char			*err;
	size_t			errlen;
};

static int
ld_fail(struct ld *ld, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(ld->err, ld->errlen, "%s: ", ld->modname);
	if (n < 0 || (size_t)n >= ld->errlen)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return (EINVAL);
}

static const char *
secname(const struct ld *ld, size_t i)
{
	if (ld->sh[i].sh_name >= ld->shstrsz)
		return ("?");
	return (ld->shstr + ld->sh[i].sh_name);
}

static int
in_file(const struct ld *ld, uint64_t off, uint64_t size)
{
	return (off <= ld->len && size <= ld->len - off);
}

static int
section_kind(const Elf64_Shdr *s)
{
	if ((s->sh_flags & SHF_EXECINSTR) != 0)
		return (K_TEXT);
	if ((s->sh_flags & SHF_WRITE) != 0 || s->sh_type == SHT_NOBITS)
		return (K_DATA);
	return (K_RODATA);
}

static int
loadable(const Elf64_Shdr *s)
{
	return ((s->sh_flags & SHF_ALLOC) != 0 && s->sh_size != 0 &&
	    (s->sh_type == SHT_PROGBITS || s->sh_type == SHT_NOBITS ||
	    s->sh_type == SHT_INIT_ARRAY || s->sh_type == SHT_FINI_ARRAY ||
	    s->sh_type == SHT_X86_64_UNWIND || s->sh_type == SHT_NOTE));
}

/* Check the headers, the section table and the symbol table. */
static int
ld_validate(struct ld *ld)
{
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *s, *symsh;
	size_t i;

	eh = (const Elf64_Ehdr *)ld->img;
	if (ld->len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
		return (ld_fail(ld, "not an ELF file"));
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64)
		return (ld_fail(ld, "not an x86-64 little-endian ELF64 object"));
	if (eh->e_type != ET_REL)
		return (ld_fail(ld, "not a relocatable object (ET_REL)"));
	if (eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shnum == 0 ||
	    !in_file(ld, eh->e_shoff, (uint64_t)eh->e_shnum *
	    sizeof(Elf64_Shdr)) || (eh->e_shoff & 7) != 0)
		return (ld_fail(ld, "section header table is truncated or "
		    "malformed"));
	ld->eh = eh;
	ld->sh = (const Elf64_Shdr *)(ld->img + eh->e_shoff);
	if (eh->e_shstrndx >= eh->e_shnum ||
	    ld->sh[eh->e_shstrndx].sh_type != SHT_STRTAB)
		return (ld_fail(ld, "bad section name table index"));
	symsh = NULL;
	for (i = 0; i < eh->e_shnum; i++) {
		s = &ld->sh[i];
		if (s->sh_type != SHT_NOBITS && s->sh_type != SHT_NULL &&
		    !in_file(ld, s->sh_offset, s->sh_size))
			return (ld_fail(ld, "section %zu extends past the end "
			    "of the file (truncated?)", i));
		if (s->sh_addralign > UH_PAGE ||
		    (s->sh_addralign & (s->sh_addralign - 1)) != 0)
			return (ld_fail(ld, "section %zu: bad alignment %lu",
			    i, (unsigned long)s->sh_addralign));
		if (s->sh_type == SHT_SYMTAB) {
			if (symsh != NULL)
				return (ld_fail(ld, "more than one symbol "
				    "table"));
			symsh = s;
		}
		if (s->sh_type == SHT_REL)
			return (ld_fail(ld, "SHT_REL sections are not used on "
			    "x86-64"));
		if (s->sh_size > UH_MAX_OBJ)
			return (ld_fail(ld, "section %zu too large", i));
	}
	s = &ld->sh[eh->e_shstrndx];
	ld->shstr = (const char *)ld->img + s->sh_offset;
	ld->shstrsz = s->sh_size;
	if (ld->shstrsz == 0 || ld->shstr[ld->shstrsz - 1] != '\0')
		return (ld_fail(ld, "section name table not NUL-terminated"));
	if (symsh == NULL)
		return (ld_fail(ld, "no symbol table"));
	if (symsh->sh_entsize != sizeof(Elf64_Sym) ||
	    symsh->sh_size % sizeof(Elf64_Sym) != 0 ||
	    (symsh->sh_offset & 7) != 0 || symsh->sh_link >= eh->e_shnum ||
	    ld->sh[symsh->sh_link].sh_type != SHT_STRTAB)
		return (ld_fail(ld, "malformed symbol table"));
	ld->syms = (const Elf64_Sym *)(ld->img + symsh->sh_offset);
	ld->nsyms = symsh->sh_size / sizeof(Elf64_Sym);
	s = &ld->sh[symsh->sh_link];
	ld->strtab = (const char *)ld->img + s->sh_offset;
	ld->strsz = s->sh_size;
	if (ld->strsz == 0 || ld->strtab[ld->strsz - 1] != '\0')
		return (ld_fail(ld, "string table not NUL-terminated"));
	for (i = 0; i < ld->nsyms; i++) {
		if (ld->syms[i].st_name >= ld->strsz)
			return (ld_fail(ld, "symbol %zu: name out of range", i));
		if (ld->syms[i].st_shndx >= eh->e_shnum &&
		    ld->syms[i].st_shndx < SHN_LORESERVE)
			return (ld_fail(ld, "symbol %zu: bad section index",
			    i));
	}
	return (0);
}

/* The loaded span of all sections named like section i (for __start_). */
static int
group_span(const struct ld *ld, const char *name, uint64_t *start,
    uint64_t *end)
{
	uint64_t lo, hi;
	size_t i;

	lo = UINT64_MAX;
	hi = 0;
	for (i = 0; i < ld->eh->e_shnum; i++) {
		if (ld->secaddr[i] == 0 || strcmp(secname(ld, i), name) != 0)
			continue;
		if (ld->secaddr[i] < lo)
			lo = ld->secaddr[i];
		if (ld->secaddr[i] + ld->sh[i].sh_size > hi)
			hi = ld->secaddr[i] + ld->sh[i].sh_size;
	}
	if (lo == UINT64_MAX)
		return (ENOENT);
	*start = lo;
	*end = hi;
	return (0);
}

static int
ld_symbols(struct ld *ld, const struct uh_symtab *tab)
{
	const Elf64_Sym *s;
	const char *name;
	uint64_t a, b;
	size_t i;

	for (i = 1; i < ld->nsyms; i++) {
		s = &ld->syms[i];
		name = ld->strtab + s->st_name;
		if (s->st_shndx == SHN_ABS) {
			ld->symval[i] = s->st_value;
		} else if (s->st_shndx == SHN_COMMON) {
			return (ld_fail(ld, "common symbol %s: build the patch "
			    "with -fno-common", name));
		} else if (s->st_shndx == SHN_UNDEF) {
			if (strncmp(name, "__start_", 8) == 0 &&
			    group_span(ld, name + 8, &a, &b) == 0)
				ld->symval[i] = a;
			else if (strncmp(name, "__stop_", 7) == 0 &&
			    group_span(ld, name + 7, &a, &b) == 0)
				ld->symval[i] = b;
			else if (uh_sym_global(tab, name, &a) == 0)
				ld->symval[i] = a;
			else if (ELF64_ST_BIND(s->st_info) == STB_WEAK)
				ld->symval[i] = 0;
			else
				return (ld_fail(ld, "undefined symbol %s is "
				    "not a global of the running program",
				    name));
		} else if (s->st_shndx >= SHN_LORESERVE) {
			return (ld_fail(ld, "symbol %s: unsupported section "
			    "index 0x%x", name, s->st_shndx));
		} else if (ld->secaddr[s->st_shndx] != 0) {
			if (s->st_value > ld->sh[s->st_shndx].sh_size)
				return (ld_fail(ld, "symbol %s lies outside "
				    "its section", name));
			ld->symval[i] = ld->secaddr[s->st_shndx] + s->st_value;
		} else {
			/* In a section that is not loaded (debug info). */
			ld->symval[i] = UINT64_MAX;
		}
	}
	return (0);
}

#define UH_VENEER	16u

/* The address of a veneer jumping to s, for symbol sym; 0: none left. */
static uint64_t
ld_veneer(struct ld *ld, uint32_t sym, uint64_t s)
{
	unsigned char *v;

	if (ld->veneer[sym] != 0)
		return (ld->veneer[sym]);
	if (ld->nused >= ld->nveneers)
		return (0);
	ld->veneer[sym] = ld->veneers + UH_VENEER * ld->nused++;
	v = (unsigned char *)(uintptr_t)ld->veneer[sym];
	v[0] = 0xff;		/* jmp *0(%rip) */
	v[1] = 0x25;
	memset(v + 2, 0, 4);
	memcpy(v + 6, &s, 8);
	memset(v + 14, 0xcc, UH_VENEER - 14);
	return (ld->veneer[sym]);
}

static int
ld_relocate(struct ld *ld)
{
	const Elf64_Shdr *rs, *ts;
	const Elf64_Rela *r;
	uint64_t p, s, v;
	unsigned char *place;
	size_t i, j, n, w;
	uint32_t type, sym;
	int64_t sv;

	for (i = 0; i < ld->eh->e_shnum; i++) {
		rs = &ld->sh[i];
		if (rs->sh_type != SHT_RELA)
			continue;
		if (rs->sh_info >= ld->eh->e_shnum)
			return (ld_fail(ld, "%s: bad target section",
			    secname(ld, i)));
		if (ld->secaddr[rs->sh_info] == 0)
			continue;	/* relocates debug info: not loaded */
		if (rs->sh_entsize != sizeof(Elf64_Rela) ||
		    rs->sh_size % sizeof(Elf64_Rela) != 0 ||
		    (rs->sh_offset & 7) != 0 ||
		    rs->sh_link >= ld->eh->e_shnum ||
		    ld->sh[rs->sh_link].sh_type != SHT_SYMTAB)
			return (ld_fail(ld, "%s: malformed relocation section",
			    secname(ld, i)));
		ts = &ld->sh[rs->sh_info];
		if (ts->sh_type == SHT_NOBITS)
			return (ld_fail(ld, "%s: relocates a NOBITS section",
			    secname(ld, i)));
		r = (const Elf64_Rela *)(ld->img + rs->sh_offset);
		n = rs->sh_size / sizeof(Elf64_Rela);
		for (j = 0; j < n; j++) {
			type = ELF64_R_TYPE(r[j].r_info);
			sym = ELF64_R_SYM(r[j].r_info);
			switch (type) {
			case R_X86_64_NONE:
				continue;
			case R_X86_64_64:
				w = 8;
				break;
			case R_X86_64_PC32:
			case R_X86_64_PLT32:
			case R_X86_64_32:
			case R_X86_64_32S:
				w = 4;
				break;
			default:
				return (ld_fail(ld, "%s: relocation %zu: "
				    "unsupported type %u (the hosted profile "
				    "accepts 64, PC32, PLT32, 32, 32S)",
				    secname(ld, i), j, type));
			}
			if (sym == 0 || sym >= ld->nsyms)
				return (ld_fail(ld, "%s: relocation %zu: bad "
				    "symbol index %u", secname(ld, i), j, sym));
			if (r[j].r_offset > ts->sh_size ||
			    w > ts->sh_size - r[j].r_offset)
				return (ld_fail(ld, "%s: relocation %zu: offset "
				    "0x%lx outside %s", secname(ld, i), j,
				    (unsigned long)r[j].r_offset,
				    secname(ld, rs->sh_info)));
			if (ELF64_ST_TYPE(ld->syms[sym].st_info) ==
			    STT_SECTION) {
				if (ld->syms[sym].st_shndx >= ld->eh->e_shnum ||
				    ld->secaddr[ld->syms[sym].st_shndx] == 0)
					return (ld_fail(ld, "%s: relocation "
					    "%zu against a section that is not "
					    "loaded", secname(ld, i), j));
				s = ld->secaddr[ld->syms[sym].st_shndx];
			} else
				s = ld->symval[sym];
			if (s == UINT64_MAX)
				return (ld_fail(ld, "%s: relocation %zu against "
				    "%s, which is not loaded", secname(ld, i),
				    j, ld->strtab + ld->syms[sym].st_name));
			p = ld->secaddr[rs->sh_info] + r[j].r_offset;
			place = (unsigned char *)(uintptr_t)p;
			v = s + (uint64_t)r[j].r_addend;
			if (type == R_X86_64_PC32 || type == R_X86_64_PLT32)
				v -= p;
			sv = (int64_t)v;
			if (type == R_X86_64_PLT32 &&
			    (sv < INT32_MIN || sv > INT32_MAX) &&
			    ld->syms[sym].st_shndx == SHN_UNDEF &&
			    (s = ld_veneer(ld, sym, s)) != 0) {
				v = s + (uint64_t)r[j].r_addend - p;
				sv = (int64_t)v;
			}
			if ((type == R_X86_64_32 && v > UINT32_MAX) ||
			    ((type == R_X86_64_PC32 ||
			    type == R_X86_64_PLT32 || type == R_X86_64_32S) &&
			    (sv < INT32_MIN || sv > INT32_MAX)))
				return (ld_fail(ld, "%s: relocation %zu (%s) "
				    "overflows its 32-bit field",
				    secname(ld, i), j,
				    ld->strtab + ld->syms[sym].st_name));
			memcpy(place, &v, w);
		}
	}
	return (0);
}

int
uh_load_buf(const void *buf, size_t len, const char *modname,
    const struct uh_symtab *tab, struct uh_module **mp, char *err,
    size_t errlen)
{
	static const char *const hooks[FBSDLP_HOOK_NKINDS] = {
		FBSDLP_SEC_HOOK_PRE_PATCH, FBSDLP_SEC_HOOK_POST_PATCH,
		FBSDLP_SEC_HOOK_PRE_UNPATCH, FBSDLP_SEC_HOOK_POST_UNPATCH,
	};
	static const int prot[K_N] = {
		PROT_READ | PROT_EXEC, PROT_READ, PROT_READ | PROT_WRITE,
	};
	static const uint32_t rflags[K_N] = {
		FBSDLP_REGION_READ | FBSDLP_REGION_EXEC, FBSDLP_REGION_READ,
		FBSDLP_REGION_READ | FBSDLP_REGION_WRITE,
	};
	struct ld ld;
	struct uh_module *m;
	const Elf64_Shdr *s;
	uint64_t kstart[K_N], kend[K_N], off, a, b, align;
	unsigned char *base;
	size_t i, j, total;
	int k, error;

	*mp = NULL;
	memset(&ld, 0, sizeof(ld));
	ld.img = buf;
	ld.len = len;
	ld.modname = modname;
	ld.err = err;
	ld.errlen = errlen;
	if (len > UH_MAX_OBJ)
		return (ld_fail(&ld, "object larger than %u bytes",
		    UH_MAX_OBJ));
	if ((error = ld_validate(&ld)) != 0)
		return (error);
	ld.secaddr = calloc(ld.eh->e_shnum, sizeof(*ld.secaddr));
	ld.symval = calloc(ld.nsyms, sizeof(*ld.symval));
	ld.veneer = calloc(ld.nsyms, sizeof(*ld.veneer));
	m = calloc(1, sizeof(*m));
	if (ld.secaddr == NULL || ld.symval == NULL || ld.veneer == NULL ||
	    m == NULL) {
		error = ld_fail(&ld, "out of memory");
		goto fail;
	}

	/*
	 * Layout: text, rodata, data, each starting on a page so that each
	 * gets its own protection.  Same-named sections are kept adjacent so
	 * __start_/__stop_ span all of them.  Offsets are recorded in
	 * secaddr first (biased by 1 so 0 keeps meaning "not loaded").
	 */
	off = 0;
	for (k = 0; k < K_N; k++) {
		off = (off + UH_PAGE - 1) & ~(uint64_t)(UH_PAGE - 1);
		kstart[k] = off;
		for (i = 0; i < ld.eh->e_shnum; i++) {
			s = &ld.sh[i];
			if (!loadable(s) || section_kind(s) != k ||
			    ld.secaddr[i] != 0)
				continue;
			for (j = 0; j < ld.eh->e_shnum; j++) {
				if (!loadable(&ld.sh[j]) ||
				    ld.secaddr[j] != 0 ||
				    strcmp(secname(&ld, i),
				    secname(&ld, j)) != 0)
					continue;
				/* __start_/__stop_ must span one area. */
				if (section_kind(&ld.sh[j]) != k) {
					error = ld_fail(&ld, "sections named %s "
					    "have conflicting flags",
					    secname(&ld, i));
					goto fail;
				}
				align = ld.sh[j].sh_addralign ?
				    ld.sh[j].sh_addralign : 1;
				off = (off + align - 1) & ~(align - 1);
				ld.secaddr[j] = off + 1;
				off += ld.sh[j].sh_size;
				if (off > UH_MAX_OBJ) {
					error = ld_fail(&ld, "too large");
					goto fail;
				}
			}
		}
		if (k == K_TEXT) {
			for (i = 1; i < ld.nsyms; i++)
				if (ld.syms[i].st_shndx == SHN_UNDEF)
					ld.nveneers++;
			off = (off + UH_VENEER - 1) & ~(uint64_t)(UH_VENEER - 1);
			ld.veneers = off + 1;
			off += UH_VENEER * ld.nveneers;
		}
		kend[k] = off;
	}
	total = (size_t)((off + UH_PAGE - 1) & ~(uint64_t)(UH_PAGE - 1));
	if (total == 0) {
		error = ld_fail(&ld, "nothing to load");
		goto fail;
	}
	/*
	 * Below 2 GB: the hosted profile allows R_X86_64_32, and the
	 * executable is non-PIE at 4 MB, so jmp rel32 reaches both ways.
	 */
	base = mmap(NULL, total, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (base == MAP_FAILED) {
		error = ld_fail(&ld, "mmap below 2 GB: %s", strerror(errno));
		goto fail;
	}
	m->base = base;
	m->size = total;
	for (i = 0; i < ld.eh->e_shnum; i++) {
		if (ld.secaddr[i] == 0)
			continue;
		ld.secaddr[i] += (uint64_t)(uintptr_t)base - 1;
		if (ld.sh[i].sh_type != SHT_NOBITS)
			memcpy((void *)(uintptr_t)ld.secaddr[i],
			    ld.img + ld.sh[i].sh_offset, ld.sh[i].sh_size);
	}
	ld.veneers += (uint64_t)(uintptr_t)base - 1;
	if ((error = ld_symbols(&ld, tab)) != 0 ||
	    (error = ld_relocate(&ld)) != 0)
		goto fail;

	/* W^X from here on. */
	for (k = 0; k < K_N; k++) {
		if (kend[k] == kstart[k])
			continue;
		a = kstart[k];		/* page-aligned by the layout */
		b = (kend[k] + UH_PAGE - 1) & ~(uint64_t)(UH_PAGE - 1);
		if (mprotect(base + a, b - a, prot[k]) != 0) {
			error = ld_fail(&ld, "mprotect: %s", strerror(errno));
			goto fail;
		}
		m->regions[m->nregions].start = (uint64_t)(uintptr_t)base + a;
		m->regions[m->nregions].size = kend[k] - kstart[k];
		m->regions[m->nregions].flags = rflags[k];
		m->nregions++;
	}

	snprintf(m->name, sizeof(m->name), "%s", modname);
	m->img.modname = m->name;
	m->img.regions = m->regions;
	m->img.nregions = m->nregions;
#define SPAN(field, name) do {						\
	if (group_span(&ld, name, &a, &b) == 0) {			\
		m->img.field.start = a;					\
		m->img.field.size = b - a;				\
	}								\
} while (0)
	SPAN(info, FBSDLP_SEC_INFO);
	SPAN(funcs, FBSDLP_SEC_FUNCS);
	SPAN(relocs, FBSDLP_SEC_RELOCS);
	SPAN(strings, FBSDLP_SEC_STRINGS);
	SPAN(masks, FBSDLP_SEC_MASKS);
	for (k = 0; k < FBSDLP_HOOK_NKINDS; k++)
		SPAN(hooks[k], hooks[k]);
#undef SPAN
	free(ld.secaddr);
	free(ld.symval);
	free(ld.veneer);
	*mp = m;
	return (0);
fail:
	if (m != NULL && m->base != NULL)
		munmap(m->base, m->size);
	free(m);
	free(ld.secaddr);
	free(ld.symval);
	free(ld.veneer);
	return (error);
}

int
uh_load_file(const char *path, const struct uh_symtab *tab,
    struct uh_module **mp, char *err, size_t errlen)
{
	struct stat sb;
	const char *base;
	void *buf;
	ssize_t n;
	size_t got;
	int fd, error;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return (errno);
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > (off_t)UH_MAX_OBJ) {
		snprintf(err, errlen, "%s: not a regular file of at most %u "
		    "bytes", path, UH_MAX_OBJ);
		close(fd);
		return (EINVAL);
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return (ENOMEM);
	}
	for (got = 0; got < (size_t)sb.st_size; got += (size_t)n) {
		n = read(fd, (char *)buf + got, (size_t)sb.st_size - got);
		if (n <= 0)
			break;
	}
	close(fd);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	error = uh_load_buf(buf, got, base, tab, mp, err, errlen);
	free(buf);
	return (error);
}

void
uh_unload(struct uh_module *m)
{
	munmap(m->base, m->size);
	free(m);
}
