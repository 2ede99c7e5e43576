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
 * The ELF linker classes.
 *
 * klds (link_elf_obj.c): amd64 modules are relocatable objects.  The
 * allocated PROGBITS, NOBITS and X86_64_UNWIND sections are placed in
 * file order, each at its alignment, in one mapping below 2 GB (where the
 * kernel image is, so that PC32 and 32S reach it); the symbol values of
 * defined symbols become addresses; __start_<set>/__stop_<set> references
 * are bound to the file's own sections; relocations against local symbols
 * are applied, the dependencies loaded, then the rest, resolved in the
 * file, its dependencies, and the kernel.  Only the relocation types of
 * amd64's elf_machdep.c are accepted.  Pages then get the union of the
 * protections of the sections on them.  Unlike FreeBSD, which trusts a
 * file root asked it to load, every offset is checked, and a 32-bit
 * relocation that does not fit is refused rather than truncated.
 *
 * The kernel (link_elf.c's role for the running kernel): the executable's
 * .symtab and .strtab, locals and STT_FILE included, and its section
 * headers for the kernel's linker sets; kern.build_id from its note.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/lock.h>
#include <sys/malloc.h>
#include <sys/module.h>
#include <sys/proc.h>

#include <machine/elf.h>

#include "linker_if.h"
#include "fbsd_kern.h"

MALLOC_DECLARE(M_LINKER);

#define	ELF_MAX_FILE	(64UL << 20)

struct elf_progent {
	const char	*name;
	caddr_t		addr;
	size_t		size;
	uint64_t	flags;
	int		sec;
};

struct elf_relent {
	const Elf_Rela	*rela;		/* or rel, with rela NULL */
	const Elf_Rel	*rel;
	size_t		nrel;
	int		sec;		/* the section they apply to */
};

typedef struct elf_file {
	caddr_t		address;	/* the mapping */
	size_t		mapsize;
	struct elf_progent *progtab;
	int		nprogtab;
	struct elf_relent *reltab;
	int		nreltab;
	Elf_Sym		*ddbsymtab;	/* our copy, values relocated */
	long		ddbsymcnt;
	char		*ddbstrtab;
	long		ddbstrcnt;
	char		*shstrtab;
	size_t		shstrcnt;
	int		nsects;
	caddr_t		*secbase;	/* per section index, 0: not loaded */
	/* The kernel image: section headers for linker sets. */
	Elf_Shdr	*shdr;
	int		kernel;
	int		ntexts;
	struct { void *start; size_t len; } texts[8];
} *elf_file_t;

static const struct linker_class elf_obj_class;

static void
link_elf_error(const char *filename, const char *s)
{
	fbsd_linker_error("kldload: %s: %s", filename, s);
}

/* Common to both classes. */

static long
elf_symtab_get(linker_file_t lf, const Elf_Sym **symtab)
{
	elf_file_t ef = lf->priv;

	*symtab = ef->ddbsymtab;
	return (ef->ddbsymcnt);
}

static long
elf_strtab_get(linker_file_t lf, caddr_t *strtab)
{
	elf_file_t ef = lf->priv;

	*strtab = ef->ddbstrtab;
	return (ef->ddbstrcnt);
}

/* Defined globals (and weak ones) only: locals are the file's own. */
static int
elf_lookup_symbol(linker_file_t lf, const char *name, c_linker_sym_t *sym)
{
	elf_file_t ef = lf->priv;
	const Elf_Sym *s;
	long i;

	for (i = 1; i < ef->ddbsymcnt; i++) {
		s = &ef->ddbsymtab[i];
		if (s->st_shndx == SHN_UNDEF || s->st_name >= ef->ddbstrcnt ||
		    ELF_ST_BIND(s->st_info) == STB_LOCAL ||
		    ELF_ST_TYPE(s->st_info) == STT_SECTION ||
		    ELF_ST_TYPE(s->st_info) == STT_FILE)
			continue;
		if (strcmp(name, ef->ddbstrtab + s->st_name) == 0) {
			*sym = (c_linker_sym_t)s;
			return (0);
		}
	}
	return (ENOENT);
}

static int
elf_symbol_values(linker_file_t lf, c_linker_sym_t sym,
    linker_symval_t *symval)
{
	elf_file_t ef = lf->priv;
	const Elf_Sym *es = (const Elf_Sym *)sym;

	if (es < ef->ddbsymtab || es >= ef->ddbsymtab + ef->ddbsymcnt)
		return (ENOENT);
	symval->name = es->st_name < ef->ddbstrcnt ?
	    ef->ddbstrtab + es->st_name : "";
	symval->value = (caddr_t)es->st_value;
	symval->size = es->st_size;
	return (0);
}

static int
elf_search_symbol(linker_file_t lf, caddr_t value, c_linker_sym_t *sym,
    long *diffp)
{
	elf_file_t ef = lf->priv;
	const Elf_Sym *s, *best;
	uint64_t off, bestoff;
	long i;

	best = NULL;
	bestoff = ~0UL;
	for (i = 1; i < ef->ddbsymcnt; i++) {
		s = &ef->ddbsymtab[i];
		if (s->st_shndx == SHN_UNDEF || s->st_value == 0 ||
		    ELF_ST_TYPE(s->st_info) != STT_FUNC ||
		    (uint64_t)value < s->st_value)
			continue;
		off = (uint64_t)value - s->st_value;
		if (off < bestoff) {
			best = s;
			bestoff = off;
		}
	}
	if (best == NULL)
		return (ENOENT);
	*sym = (c_linker_sym_t)best;
	*diffp = (long)bestoff;
	return (0);
}

static void
set_name(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "set_%s", name);
}

static int
elf_obj_lookup_set(linker_file_t lf, const char *name, void ***startp,
    void ***stopp, int *countp)
{
	elf_file_t ef = lf->priv;
	char setname[128];
	int i;

	set_name(setname, sizeof(setname), name);
	for (i = 0; i < ef->nprogtab; i++)
		if (ef->progtab[i].name != NULL &&
		    strcmp(ef->progtab[i].name, setname) == 0) {
			*startp = (void **)ef->progtab[i].addr;
			*stopp = (void **)(ef->progtab[i].addr +
			    ef->progtab[i].size);
			if (countp != NULL)
				*countp = (int)(ef->progtab[i].size /
				    sizeof(void *));
			return (0);
		}
	return (ESRCH);
}

static void
elf_free(elf_file_t ef)
{
	int i;

	for (i = 0; i < ef->ntexts; i++)
		fbsd_text_unregister(ef->texts[i].start, ef->texts[i].len);
	if (ef->address != NULL)
		fbsd_host_unmap(ef->address, roundup2(ef->mapsize, PAGE_SIZE));
	free(ef->progtab, M_LINKER);
	/* The relocations stay until unload, as link_elf_obj.c keeps them. */
	for (i = 0; ef->reltab != NULL && i < ef->nreltab; i++) {
		free(__DECONST(void *, ef->reltab[i].rela), M_LINKER);
		free(__DECONST(void *, ef->reltab[i].rel), M_LINKER);
	}
	free(ef->reltab, M_LINKER);
	free(ef->ddbsymtab, M_LINKER);
	free(ef->ddbstrtab, M_LINKER);
	free(ef->shstrtab, M_LINKER);
	free(ef->secbase, M_LINKER);
	free(ef, M_LINKER);
}

static void
elf_obj_unload(linker_file_t lf)
{
	elf_free(lf->priv);
	lf->priv = NULL;
}

static const struct linker_class elf_obj_class = {
	"elf64_obj",
	elf_symtab_get,
	elf_strtab_get,
	elf_lookup_symbol,
	elf_symbol_values,
	elf_search_symbol,
	elf_obj_lookup_set,
	elf_obj_unload,
};

/* Relocation. */

/* The value of symbol symidx for a relocation; 0 and EINVAL if none. */
static int
elf_obj_lookup(linker_file_t lf, Elf_Size symidx, int deps, Elf_Addr *res)
{
	elf_file_t ef = lf->priv;
	const Elf_Sym *sym;
	const char *name;
	caddr_t addr;

	*res = 0;
	if (symidx >= (Elf_Size)ef->ddbsymcnt)
		return (EINVAL);
	sym = &ef->ddbsymtab[symidx];
	if (sym->st_shndx != SHN_UNDEF) {
		if (ELF_ST_TYPE(sym->st_info) == STT_GNU_IFUNC)
			return (EINVAL);
		*res = sym->st_value;
		return (0);
	}
	if (ELF_ST_BIND(sym->st_info) == STB_LOCAL)
		return (EINVAL);
	name = sym->st_name < ef->ddbstrcnt ? ef->ddbstrtab + sym->st_name :
	    "";
	if (*name == '\0')
		return (EINVAL);
	addr = linker_file_lookup_symbol(lf, name, deps);
	if (addr != 0) {
		*res = (Elf_Addr)addr;
		return (0);
	}
	if (ELF_ST_BIND(sym->st_info) == STB_WEAK)
		return (0);
	return (EINVAL);
}

static const char *
symname(elf_file_t ef, Elf_Size symidx)
{
	const Elf_Sym *s;

	if (symidx >= (Elf_Size)ef->ddbsymcnt)
		return ("?");
	s = &ef->ddbsymtab[symidx];
	return (s->st_name < ef->ddbstrcnt ? ef->ddbstrtab + s->st_name : "?");
}

/*
 * Relocation targets inside code need not be aligned.  FreeBSD's amd64
 * elf_machdep.c stores through plain pointers, which x86 allows; here
 * the personality also runs under UBSan, so go through memcpy.
 */
static int64_t
load32(const void *p)
{
	int32_t v;

	memcpy(&v, p, sizeof(v));
	return (v);
}

static int64_t
load64(const void *p)
{
	int64_t v;

	memcpy(&v, p, sizeof(v));
	return (v);
}

static void
store32(void *p, uint32_t v)
{

	memcpy(p, &v, sizeof(v));
}

static void
store64(void *p, uint64_t v)
{

	memcpy(p, &v, sizeof(v));
}

/* amd64 elf_reloc_internal's types; where is inside the section. */
static int
elf_reloc(linker_file_t lf, caddr_t where, uint64_t rtype, Elf_Size symidx,
    int64_t addend, int rela)
{
	elf_file_t ef = lf->priv;
	Elf_Addr addr;
	int64_t v;
	char msg[192];

	if (!rela) {
		if (rtype == R_X86_64_PC32 || rtype == R_X86_64_32S ||
		    rtype == R_X86_64_PLT32)
			addend = load32(where);
		else
			addend = load64(where);
	}
	switch (rtype) {
	case R_X86_64_NONE:
		return (0);
	case R_X86_64_64:
		if (elf_obj_lookup(lf, symidx, 1, &addr) != 0)
			goto undefined;
		store64(where, addr + (uint64_t)addend);
		return (0);
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		if (elf_obj_lookup(lf, symidx, 1, &addr) != 0)
			goto undefined;
		v = (int64_t)(addr + (uint64_t)addend - (uint64_t)where);
		if (v != (int32_t)v)
			goto overflow;
		store32(where, (uint32_t)v);
		return (0);
	case R_X86_64_32S:
		if (elf_obj_lookup(lf, symidx, 1, &addr) != 0)
			goto undefined;
		v = (int64_t)(addr + (uint64_t)addend);
		if (v != (int32_t)v)
			goto overflow;
		store32(where, (uint32_t)v);
		return (0);
	case R_X86_64_COPY:
		snprintf(msg, sizeof(msg), "unexpected R_COPY relocation, "
		    "symbol index %lu", (u_long)symidx);
		link_elf_error(lf->filename, msg);
		return (-1);
	case R_X86_64_GLOB_DAT:
	case R_X86_64_JMP_SLOT:
		if (elf_obj_lookup(lf, symidx, 1, &addr) != 0)
			goto undefined;
		store64(where, addr);
		return (0);
	case R_X86_64_RELATIVE:
		store64(where, (uint64_t)ef->address + (uint64_t)addend);
		return (0);
	default:
		snprintf(msg, sizeof(msg), "unexpected relocation type %lu, "
		    "symbol index %lu (%s)", (u_long)rtype, (u_long)symidx,
		    symname(ef, symidx));
		link_elf_error(lf->filename, msg);
		return (-1);
	}
undefined:
	fbsd_linker_error("link_elf_obj: symbol %s undefined",
	    symname(ef, symidx));
	return (-1);
overflow:
	snprintf(msg, sizeof(msg), "relocation type %lu to %s does not fit "
	    "in 32 bits", (u_long)rtype, symname(ef, symidx));
	link_elf_error(lf->filename, msg);
	return (-1);
}

static void
link_elf_fix_link_set(elf_file_t ef)
{
	static const char startn[] = "__start_", stopn[] = "__stop_";
	const char *n, *set;
	Elf_Sym *sym;
	long i;
	int j, start;

	for (i = 1; i < ef->ddbsymcnt; i++) {
		sym = &ef->ddbsymtab[i];
		if (sym->st_shndx != SHN_UNDEF || sym->st_name >= ef->ddbstrcnt)
			continue;
		n = ef->ddbstrtab + sym->st_name;
		if (strncmp(n, startn, sizeof(startn) - 1) == 0) {
			start = 1;
			set = n + sizeof(startn) - 1;
		} else if (strncmp(n, stopn, sizeof(stopn) - 1) == 0) {
			start = 0;
			set = n + sizeof(stopn) - 1;
		} else
			continue;
		for (j = 0; j < ef->nprogtab; j++)
			if (ef->progtab[j].name != NULL &&
			    strcmp(ef->progtab[j].name, set) == 0)
				break;
		if (j == ef->nprogtab)
			continue;
		sym->st_value = (Elf_Addr)ef->progtab[j].addr +
		    (start ? 0 : ef->progtab[j].size);
		sym->st_shndx = (Elf64_Half)ef->progtab[j].sec;
	}
}

/* Apply the relocations against local symbols (locals) or the others. */
static int
elf_relocate(linker_file_t lf, int locals)
{
	elf_file_t ef = lf->priv;
	struct elf_relent *r;
	Elf_Size symidx;
	uint64_t off, rtype;
	caddr_t base;
	size_t secsize, j;
	int i, islocal, k;

	for (i = 0; i < ef->nreltab; i++) {
		r = &ef->reltab[i];
		base = ef->secbase[r->sec];
		secsize = 0;
		for (k = 0; k < ef->nprogtab; k++)
			if (ef->progtab[k].sec == r->sec)
				secsize = ef->progtab[k].size;
		for (j = 0; j < r->nrel; j++) {
			if (r->rela != NULL) {
				off = r->rela[j].r_offset;
				symidx = ELF_R_SYM(r->rela[j].r_info);
				rtype = ELF_R_TYPE(r->rela[j].r_info);
			} else {
				off = r->rel[j].r_offset;
				symidx = ELF_R_SYM(r->rel[j].r_info);
				rtype = ELF_R_TYPE(r->rel[j].r_info);
			}
			if (symidx >= (Elf_Size)ef->ddbsymcnt)
				continue;
			islocal = ELF_ST_BIND(ef->ddbsymtab[symidx].st_info) ==
			    STB_LOCAL;
			if (islocal != locals)
				continue;
			if (off > secsize || secsize - off < (rtype ==
			    R_X86_64_64 || rtype == R_X86_64_GLOB_DAT ||
			    rtype == R_X86_64_JMP_SLOT ||
			    rtype == R_X86_64_RELATIVE ? 8 : 4)) {
				link_elf_error(lf->filename,
				    "relocation outside its section");
				return (ENOEXEC);
			}
			if (elf_reloc(lf, base + off, rtype, symidx,
			    r->rela != NULL ? r->rela[j].r_addend : 0,
			    r->rela != NULL) != 0)
				return (ENOEXEC);
		}
	}
	return (0);
}

/* link_elf_protect: per page, the union of its sections' protections. */
static void
elf_protect(elf_file_t ef)
{
	size_t npages, p, first, last;
	uint8_t *prot;
	int i;

	npages = roundup2(ef->mapsize, PAGE_SIZE) / PAGE_SIZE;
	if (npages == 0)
		return;
	prot = malloc(npages, M_LINKER, M_WAITOK | M_ZERO);
	for (i = 0; i < ef->nprogtab; i++) {
		if (ef->progtab[i].size == 0)
			continue;
		first = (size_t)(ef->progtab[i].addr - ef->address) / PAGE_SIZE;
		last = (size_t)(ef->progtab[i].addr + ef->progtab[i].size - 1 -
		    ef->address) / PAGE_SIZE;
		for (p = first; p <= last; p++)
			prot[p] |= FBSD_HOST_PROT_R |
			    ((ef->progtab[i].flags & SHF_WRITE) != 0 ?
			    FBSD_HOST_PROT_W : 0) |
			    ((ef->progtab[i].flags & SHF_EXECINSTR) != 0 ?
			    FBSD_HOST_PROT_X : 0);
	}
	/* Gaps are read-only, as FreeBSD makes them. */
	for (p = 0; p < npages; p++)
		if (prot[p] == 0)
			prot[p] = FBSD_HOST_PROT_R;
	for (p = 0; p < npages; p = last) {
		for (last = p + 1; last < npages && prot[last] == prot[p];
		    last++)
			;
		if ((prot[p] & FBSD_HOST_PROT_W) == 0 &&
		    ef->ntexts < (int)nitems(ef->texts)) {
			/* Read-only memory CR0.WP=0 can write. */
			ef->texts[ef->ntexts].start = ef->address +
			    p * PAGE_SIZE;
			ef->texts[ef->ntexts].len = (last - p) * PAGE_SIZE;
			fbsd_text_register(ef->texts[ef->ntexts].start,
			    ef->texts[ef->ntexts].len, prot[p]);
			ef->ntexts++;
		} else
			(void)fbsd_host_protect(ef->address + p * PAGE_SIZE,
			    (last - p) * PAGE_SIZE, prot[p]);
	}
	free(prot, M_LINKER);
}

static int
in_file(size_t len, uint64_t off, uint64_t size)
{
	return (off <= len && size <= len - off);
}

static int
is_progtab(const Elf_Shdr *s)
{
	return ((s->sh_type == SHT_PROGBITS || s->sh_type == SHT_NOBITS ||
	    s->sh_type == SHT_X86_64_UNWIND) && (s->sh_flags & SHF_ALLOC) != 0 &&
	    s->sh_size != 0);
}

int
fbsd_elf_obj_load(const char *path, const char *filename,
    linker_file_t *result)
{
	const Elf_Ehdr *hdr;
	const Elf_Shdr *shdr, *s;
	linker_file_t lf;
	elf_file_t ef;
	fbsd_host_size len;
	uint64_t mapbase, align;
	void *img;
	int error, i, pb, rl, symtabindex, symstrindex;
	long k;

	*result = NULL;
	error = fbsd_host_read_file(path, &img, &len);
	if (error != 0) {
		fbsd_linker_error("kldload: %s: cannot read (%d)", path, error);
		return (error == ENOENT ? ENOENT : error == ENOEXEC ? ENOEXEC :
		    EIO);
	}
	hdr = img;
	if (len < sizeof(*hdr) || memcmp(hdr->e_ident, "\177ELF", 4) != 0) {
		link_elf_error(filename, "not an ELF file");
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	if (hdr->e_ident[4] != ELFCLASS64 || hdr->e_ident[5] != ELFDATA2LSB) {
		link_elf_error(filename, "Unsupported file layout");
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	if (hdr->e_ident[6] != EV_CURRENT || hdr->e_version != EV_CURRENT) {
		link_elf_error(filename, "Unsupported file version");
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	if (hdr->e_type != ET_REL) {
		link_elf_error(filename, "Unsupported file type (not ET_REL)");
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	if (hdr->e_machine != EM_X86_64) {
		link_elf_error(filename, "Unsupported machine");
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	if (hdr->e_shentsize != sizeof(Elf_Shdr) || hdr->e_shnum == 0 ||
	    !in_file(len, hdr->e_shoff, (uint64_t)hdr->e_shnum *
	    sizeof(Elf_Shdr)) || hdr->e_shstrndx >= hdr->e_shnum) {
		link_elf_error(filename, "malformed section header table");
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	shdr = (const Elf_Shdr *)((const char *)img + hdr->e_shoff);

	lf = fbsd_linker_make_file(path, &elf_obj_class);
	ef = malloc(sizeof(*ef), M_LINKER, M_WAITOK | M_ZERO);
	lf->priv = ef;
	ef->nsects = hdr->e_shnum;
	ef->secbase = malloc((size_t)ef->nsects * sizeof(caddr_t), M_LINKER,
	    M_WAITOK | M_ZERO);
	error = ENOEXEC;

	symtabindex = symstrindex = -1;
	for (i = 0; i < hdr->e_shnum; i++) {
		s = &shdr[i];
		if (s->sh_type != SHT_NOBITS &&
		    !in_file(len, s->sh_offset, s->sh_size)) {
			link_elf_error(filename, "section outside the file");
			goto out;
		}
		if (is_progtab(s)) {
			if (s->sh_addralign > PAGE_SIZE ||
			    (s->sh_addralign & (s->sh_addralign - 1)) != 0) {
				link_elf_error(filename, "bad section alignment");
				goto out;
			}
			ef->nprogtab++;
		} else if (s->sh_type == SHT_SYMTAB) {
			if (symtabindex != -1) {
				link_elf_error(filename, "multiple symbol tables");
				goto out;
			}
			symtabindex = i;
			symstrindex = (int)s->sh_link;
		} else if ((s->sh_type == SHT_REL || s->sh_type == SHT_RELA) &&
		    s->sh_info < hdr->e_shnum && is_progtab(&shdr[s->sh_info]))
			ef->nreltab++;
		else if (s->sh_type == SHT_GROUP || s->sh_type == SHT_NOTE ||
		    s->sh_type == SHT_NULL || s->sh_type == SHT_STRTAB ||
		    s->sh_type == SHT_REL || s->sh_type == SHT_RELA ||
		    (s->sh_flags & SHF_ALLOC) == 0 || s->sh_size == 0)
			continue;
		else {
			char msg[128];

			snprintf(msg, sizeof(msg), "allocated section of "
			    "unsupported type %u", s->sh_type);
			link_elf_error(filename, msg);
			goto out;
		}
	}
	if (ef->nprogtab == 0) {
		link_elf_error(filename, "file has no contents");
		goto out;
	}
	if (symtabindex < 0 || symstrindex < 0 ||
	    symstrindex >= hdr->e_shnum ||
	    shdr[symstrindex].sh_type != SHT_STRTAB ||
	    shdr[symtabindex].sh_entsize != sizeof(Elf_Sym)) {
		link_elf_error(filename, "file has no valid symbol table");
		goto out;
	}
	if (shdr[symstrindex].sh_size == 0 ||
	    ((const char *)img)[shdr[symstrindex].sh_offset +
	    shdr[symstrindex].sh_size - 1] != '\0') {
		link_elf_error(filename, "file has invalid symbol strings");
		goto out;
	}

	/* Symbols and strings. */
	ef->ddbsymcnt = (long)(shdr[symtabindex].sh_size / sizeof(Elf_Sym));
	ef->ddbsymtab = malloc(shdr[symtabindex].sh_size + 1, M_LINKER,
	    M_WAITOK);
	memcpy(ef->ddbsymtab, (const char *)img + shdr[symtabindex].sh_offset,
	    shdr[symtabindex].sh_size);
	ef->ddbstrcnt = (long)shdr[symstrindex].sh_size;
	ef->ddbstrtab = malloc(shdr[symstrindex].sh_size, M_LINKER, M_WAITOK);
	memcpy(ef->ddbstrtab, (const char *)img + shdr[symstrindex].sh_offset,
	    shdr[symstrindex].sh_size);
	s = &shdr[hdr->e_shstrndx];
	if (s->sh_type == SHT_STRTAB && s->sh_size > 0 &&
	    ((const char *)img)[s->sh_offset + s->sh_size - 1] == '\0') {
		ef->shstrcnt = s->sh_size;
		ef->shstrtab = malloc(s->sh_size, M_LINKER, M_WAITOK);
		memcpy(ef->shstrtab, (const char *)img + s->sh_offset,
		    s->sh_size);
	}

	/* Placement: file order, each section at its alignment. */
	mapbase = 0;
	for (i = 0; i < hdr->e_shnum; i++) {
		if (!is_progtab(&shdr[i]))
			continue;
		align = shdr[i].sh_addralign > 0 ? shdr[i].sh_addralign : 1;
		mapbase = roundup2(mapbase, align) + shdr[i].sh_size;
	}
	if (mapbase > ELF_MAX_FILE) {
		link_elf_error(filename, "file too large");
		goto out;
	}
	ef->mapsize = (size_t)mapbase;
	ef->address = fbsd_host_map_low(roundup2(ef->mapsize, PAGE_SIZE));
	if (ef->address == NULL) {
		link_elf_error(filename, "no address space below 2 GB");
		error = ENOMEM;
		goto out;
	}
	lf->address = ef->address;
	lf->size = ef->mapsize;
	ef->progtab = malloc((size_t)ef->nprogtab * sizeof(*ef->progtab),
	    M_LINKER, M_WAITOK | M_ZERO);
	ef->reltab = malloc((size_t)(ef->nreltab + 1) * sizeof(*ef->reltab),
	    M_LINKER, M_WAITOK | M_ZERO);
	mapbase = (uint64_t)ef->address;
	pb = rl = 0;
	for (i = 0; i < hdr->e_shnum; i++) {
		s = &shdr[i];
		if (is_progtab(s)) {
			align = s->sh_addralign > 0 ? s->sh_addralign : 1;
			mapbase = roundup2(mapbase, align);
			ef->progtab[pb].name = ef->shstrtab != NULL &&
			    s->sh_name < ef->shstrcnt ?
			    ef->shstrtab + s->sh_name : "<<PROGBITS>>";
			ef->progtab[pb].addr = (caddr_t)mapbase;
			ef->progtab[pb].size = s->sh_size;
			ef->progtab[pb].flags = s->sh_flags;
			ef->progtab[pb].sec = i;
			if (s->sh_type == SHT_NOBITS)
				memset((void *)mapbase, 0, s->sh_size);
			else
				memcpy((void *)mapbase, (const char *)img +
				    s->sh_offset, s->sh_size);
			ef->secbase[i] = (caddr_t)mapbase;
			mapbase += s->sh_size;
			pb++;
		} else if ((s->sh_type == SHT_REL || s->sh_type == SHT_RELA) &&
		    s->sh_info < hdr->e_shnum && is_progtab(&shdr[s->sh_info])) {
			if (s->sh_link != (Elf_Word)symtabindex ||
			    s->sh_entsize != (s->sh_type == SHT_RELA ?
			    sizeof(Elf_Rela) : sizeof(Elf_Rel))) {
				link_elf_error(filename, "bad relocation "
				    "section");
				goto out;
			}
			if (s->sh_type == SHT_RELA) {
				ef->reltab[rl].rela = malloc(s->sh_size + 1,
				    M_LINKER, M_WAITOK);
				memcpy(__DECONST(void *, ef->reltab[rl].rela),
				    (const char *)img + s->sh_offset,
				    s->sh_size);
				ef->reltab[rl].nrel = s->sh_size /
				    sizeof(Elf_Rela);
			} else {
				ef->reltab[rl].rel = malloc(s->sh_size + 1,
				    M_LINKER, M_WAITOK);
				memcpy(__DECONST(void *, ef->reltab[rl].rel),
				    (const char *)img + s->sh_offset,
				    s->sh_size);
				ef->reltab[rl].nrel = s->sh_size /
				    sizeof(Elf_Rel);
			}
			ef->reltab[rl].sec = (int)s->sh_info;
			rl++;
		}
	}

	/* Defined symbols: section offsets become addresses. */
	for (k = 1; k < ef->ddbsymcnt; k++) {
		Elf_Sym *es = &ef->ddbsymtab[k];

		if (es->st_shndx == SHN_COMMON) {
			link_elf_error(filename, "common symbols are not "
			    "supported (build with -fno-common)");
			goto out;
		}
		if (ELF_ST_TYPE(es->st_info) == STT_GNU_IFUNC) {
			link_elf_error(filename, "ifuncs are not supported");
			goto out;
		}
		if (es->st_shndx == SHN_UNDEF || es->st_shndx >= SHN_LORESERVE)
			continue;
		if (es->st_shndx >= ef->nsects) {
			link_elf_error(filename, "symbol in no section");
			goto out;
		}
		if (ef->secbase[es->st_shndx] != 0)
			es->st_value += (Elf_Addr)ef->secbase[es->st_shndx];
	}

	link_elf_fix_link_set(ef);
	error = elf_relocate(lf, 1);
	if (error != 0)
		goto out;
	error = fbsd_linker_load_dependencies(lf);
	if (error != 0)
		goto out;
	error = elf_relocate(lf, 0);
	if (error != 0)
		goto out;
	elf_protect(ef);
	*result = lf;
	error = 0;
out:
	fbsd_host_free(img);
	if (error != 0) {
		/* The dependencies already taken are released too. */
		fbsd_linker_release_file(lf);
		elf_free(ef);
		fbsd_linker_file_free(lf);
	}
	return (error);
}

/* The kernel image. */

static int
kernel_lookup_set(linker_file_t lf, const char *name, void ***startp,
    void ***stopp, int *countp)
{
	elf_file_t ef = lf->priv;
	char setname[128];
	int i;

	set_name(setname, sizeof(setname), name);
	for (i = 0; i < ef->nsects; i++)
		if (ef->shdr[i].sh_name < ef->shstrcnt &&
		    strcmp(ef->shstrtab + ef->shdr[i].sh_name, setname) == 0) {
			*startp = (void **)ef->shdr[i].sh_addr;
			*stopp = (void **)(ef->shdr[i].sh_addr +
			    ef->shdr[i].sh_size);
			if (countp != NULL)
				*countp = (int)(ef->shdr[i].sh_size /
				    sizeof(void *));
			return (0);
		}
	return (ESRCH);
}

static void
kernel_unload(linker_file_t lf)
{
	(void)lf;
	panic("the kernel cannot be unloaded");
}

const struct linker_class fbsd_kernel_class = {
	"elf64_kernel",
	elf_symtab_get,
	elf_strtab_get,
	elf_lookup_symbol,
	elf_symbol_values,
	elf_search_symbol,
	kernel_lookup_set,
	kernel_unload,
};

static void
kernel_build_id(const char *img, size_t len, const Elf_Shdr *s)
{
	const Elf_Note *n;
	uint64_t off, end;
	const unsigned char *d;
	u_int i;

	off = s->sh_offset;
	end = off + s->sh_size;
	while (off + sizeof(*n) <= end) {
		n = (const Elf_Note *)(img + off);
		off += sizeof(*n);
		if (off + roundup2(n->n_namesz, 4) + roundup2(n->n_descsz, 4) >
		    end || end > len)
			return;
		if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
		    memcmp(img + off, "GNU", 4) == 0 && n->n_descsz <= 64) {
			d = (const unsigned char *)img + off + 4;
			for (i = 0; i < n->n_descsz; i++)
				snprintf(fbsd_build_id_hex + 2 * i, 3, "%02x",
				    d[i]);
			return;
		}
		off += roundup2(n->n_namesz, 4) + roundup2(n->n_descsz, 4);
	}
}

int
fbsd_kernel_file_init(linker_file_t lf, const char *path)
{
	const Elf_Ehdr *hdr;
	const Elf_Shdr *shdr, *sym, *str;
	fbsd_host_uptr tstart;
	fbsd_host_size tlen;
	elf_file_t ef;
	fbsd_host_size len;
	void *img;
	int i;

	if (fbsd_host_read_file(path, &img, &len) != 0)
		return (ENOENT);
	hdr = img;
	if (len < sizeof(*hdr) || memcmp(hdr->e_ident, "\177ELF", 4) != 0 ||
	    hdr->e_shentsize != sizeof(Elf_Shdr) ||
	    !in_file(len, hdr->e_shoff, (uint64_t)hdr->e_shnum *
	    sizeof(Elf_Shdr)) || hdr->e_shstrndx >= hdr->e_shnum) {
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	shdr = (const Elf_Shdr *)((const char *)img + hdr->e_shoff);
	ef = fbsd_host_alloc(sizeof(*ef));
	ef->kernel = 1;
	ef->nsects = hdr->e_shnum;
	ef->shdr = fbsd_host_alloc((size_t)hdr->e_shnum * sizeof(Elf_Shdr));
	memcpy(ef->shdr, shdr, (size_t)hdr->e_shnum * sizeof(Elf_Shdr));
	sym = NULL;
	for (i = 0; i < hdr->e_shnum; i++) {
		if (shdr[i].sh_type == SHT_SYMTAB)
			sym = &shdr[i];
		if (shdr[i].sh_type == SHT_NOTE &&
		    in_file(len, shdr[i].sh_offset, shdr[i].sh_size))
			kernel_build_id(img, len, &shdr[i]);
	}
	str = &shdr[hdr->e_shstrndx];
	if (sym == NULL || sym->sh_link >= hdr->e_shnum ||
	    !in_file(len, sym->sh_offset, sym->sh_size) ||
	    !in_file(len, str->sh_offset, str->sh_size)) {
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	ef->shstrcnt = str->sh_size;
	ef->shstrtab = fbsd_host_alloc(str->sh_size + 1);
	memcpy(ef->shstrtab, (const char *)img + str->sh_offset, str->sh_size);
	ef->ddbsymcnt = (long)(sym->sh_size / sizeof(Elf_Sym));
	ef->ddbsymtab = fbsd_host_alloc(sym->sh_size);
	memcpy(ef->ddbsymtab, (const char *)img + sym->sh_offset, sym->sh_size);
	str = &shdr[sym->sh_link];
	if (!in_file(len, str->sh_offset, str->sh_size)) {
		fbsd_host_free(img);
		return (ENOEXEC);
	}
	ef->ddbstrcnt = (long)str->sh_size;
	ef->ddbstrtab = fbsd_host_alloc(str->sh_size + 1);
	memcpy(ef->ddbstrtab, (const char *)img + str->sh_offset, str->sh_size);
	fbsd_host_free(img);
	fbsd_host_kernel_text(&tstart, &tlen);
	lf->address = (caddr_t)tstart;
	lf->size = tlen;
	lf->priv = ef;
	fbsd_text_register((void *)tstart, tlen,
	    FBSD_HOST_PROT_R | FBSD_HOST_PROT_X);
	return (0);
}
