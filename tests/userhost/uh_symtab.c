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
 * The running program's own symbol table, the userspace stand-in for the
 * kernel's full .symtab that loader(8) hands to the kernel linker.  Locals
 * are kept with the STT_FILE they follow, so that statics can be found by
 * (name, source file, position) as the patch records name them.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "uh.h"

static int
uh_err(char *err, size_t errlen, const char *what, const char *path)
{
	snprintf(err, errlen, "%s: %s", path, what);
	return (-1);
}

static void
read_build_id(const unsigned char *img, size_t len, const Elf64_Shdr *sh,
    struct uh_symtab *tab)
{
	const Elf64_Nhdr *nh;
	size_t off, end;

	if (sh->sh_offset > len || sh->sh_size > len - sh->sh_offset)
		return;
	off = sh->sh_offset;
	end = off + sh->sh_size;
	while (off + sizeof(*nh) <= end) {
		nh = (const Elf64_Nhdr *)(img + off);
		off += sizeof(*nh);
		if (off + ((nh->n_namesz + 3) & ~3u) +
		    ((nh->n_descsz + 3) & ~3u) > end)
			return;
		if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
		    memcmp(img + off, "GNU", 4) == 0 &&
		    nh->n_descsz <= FBSDLP_BUILD_ID_MAX) {
			memcpy(tab->build_id, img + off + 4, nh->n_descsz);
			tab->build_id_len = nh->n_descsz;
			return;
		}
		off += ((nh->n_namesz + 3) & ~3u) + ((nh->n_descsz + 3) & ~3u);
	}
}

int
uh_symtab_load(const char *path, struct uh_symtab *tab, char *err,
    size_t errlen)
{
	const unsigned char *img;
	const Elf64_Ehdr *eh;
	const Elf64_Shdr *sh, *symsh, *strsh;
	const Elf64_Sym *st;
	struct stat sb;
	size_t i, n, len;
	int fd, cur;

	memset(tab, 0, sizeof(*tab));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0)
		return (uh_err(err, errlen, strerror(errno), path));
	len = (size_t)sb.st_size;
	img = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (img == MAP_FAILED)
		return (uh_err(err, errlen, strerror(errno), path));
	eh = (const Elf64_Ehdr *)img;
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_shoff > len ||
	    (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > len - eh->e_shoff) {
		munmap((void *)img, len);
		return (uh_err(err, errlen, "not a usable ELF64 file", path));
	}
	sh = (const Elf64_Shdr *)(img + eh->e_shoff);
	symsh = NULL;
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type == SHT_SYMTAB)
			symsh = &sh[i];
		if (sh[i].sh_type == SHT_NOTE)
			read_build_id(img, len, &sh[i], tab);
	}
	if (symsh == NULL || symsh->sh_link >= eh->e_shnum ||
	    symsh->sh_entsize != sizeof(Elf64_Sym) ||
	    symsh->sh_offset > len || symsh->sh_size > len - symsh->sh_offset) {
		munmap((void *)img, len);
		return (uh_err(err, errlen, "no usable .symtab (stripped?)",
		    path));
	}
	strsh = &sh[symsh->sh_link];
	if (strsh->sh_offset > len || strsh->sh_size > len - strsh->sh_offset ||
	    strsh->sh_size == 0) {
		munmap((void *)img, len);
		return (uh_err(err, errlen, "bad .strtab", path));
	}
	tab->strings = malloc(strsh->sh_size + 1);
	n = symsh->sh_size / sizeof(Elf64_Sym);
	tab->syms = calloc(n, sizeof(*tab->syms));
	tab->files = calloc(n, sizeof(*tab->files));
	if (tab->strings == NULL || tab->syms == NULL || tab->files == NULL) {
		munmap((void *)img, len);
		return (uh_err(err, errlen, "out of memory", path));
	}
	memcpy(tab->strings, img + strsh->sh_offset, strsh->sh_size);
	tab->strings[strsh->sh_size] = '\0';
	st = (const Elf64_Sym *)(img + symsh->sh_offset);
	cur = -1;
	for (i = 0; i < n; i++) {
		if (st[i].st_name >= strsh->sh_size)
			continue;
		if (ELF64_ST_TYPE(st[i].st_info) == STT_FILE) {
			tab->files[tab->nfiles] = tab->strings + st[i].st_name;
			cur = (int)tab->nfiles++;
			continue;
		}
		if (st[i].st_shndx == SHN_UNDEF ||
		    ELF64_ST_TYPE(st[i].st_info) == STT_SECTION ||
		    st[i].st_name == 0)
			continue;
		tab->syms[tab->nsyms].name = tab->strings + st[i].st_name;
		tab->syms[tab->nsyms].addr = st[i].st_value;
		tab->syms[tab->nsyms].size = st[i].st_size;
		tab->syms[tab->nsyms].bind = ELF64_ST_BIND(st[i].st_info);
		tab->syms[tab->nsyms].type = ELF64_ST_TYPE(st[i].st_info);
		tab->syms[tab->nsyms].file =
		    ELF64_ST_BIND(st[i].st_info) == STB_LOCAL ? cur : -1;
		tab->nsyms++;
	}
	munmap((void *)img, len);
	return (0);
}

int
uh_sym_global(const struct uh_symtab *tab, const char *name, uint64_t *addr)
{
	void *p;
	size_t i;

	for (i = 0; i < tab->nsyms; i++)
		if (tab->syms[i].bind != STB_LOCAL &&
		    strcmp(tab->syms[i].name, name) == 0) {
			*addr = tab->syms[i].addr;
			return (0);
		}
	/*
	 * What the program imports from shared libraries (libc's memcpy in
	 * a hosted kernel): the runtime linker knows where it is, as the
	 * kernel linker knows other modules' exported symbols.
	 */
	if ((p = dlsym(RTLD_DEFAULT, name)) != NULL) {
		*addr = (uint64_t)(uintptr_t)p;
		return (0);
	}
	return (ENOENT);
}

/*
 * sympos counts same-named locals of one source file, 1-based; 0 demands a
 * unique match.  A record may name the file of a global symbol too (the
 * generator always records the file), so globals are the fallback.
 */
int
uh_sym_lookup(const struct uh_symtab *tab, const char *name,
    const char *objname, uint32_t sympos, uint64_t *addr, uint64_t *size)
{
	const struct uh_sym *s, *hit;
	uint32_t pos;
	size_t i;

	hit = NULL;
	pos = 0;
	for (i = 0; i < tab->nsyms; i++) {
		s = &tab->syms[i];
		if (s->bind != STB_LOCAL || strcmp(s->name, name) != 0)
			continue;
		if (objname != NULL && (s->file < 0 ||
		    strcmp(tab->files[s->file], objname) != 0))
			continue;
		pos++;
		if (sympos == 0 && hit != NULL)
			return (EEXIST);
		if (sympos == 0 || pos == sympos)
			hit = s;
	}
	if (hit == NULL && sympos == 0) {
		for (i = 0; i < tab->nsyms; i++) {
			s = &tab->syms[i];
			if (s->bind != STB_LOCAL && strcmp(s->name, name) == 0) {
				hit = s;
				break;
			}
		}
	}
	if (hit == NULL)
		return (ENOENT);
	*addr = hit->addr;
	*size = hit->size;
	return (0);
}

void
uh_sym_describe(const struct uh_symtab *tab, uint64_t addr, char *buf,
    size_t len)
{
	const struct uh_sym *s;
	size_t i;

	for (i = 0; i < tab->nsyms; i++) {
		s = &tab->syms[i];
		if (s->type == STT_FUNC && addr >= s->addr &&
		    addr < s->addr + s->size) {
			snprintf(buf, len, "%s+0x%lx", s->name,
			    (unsigned long)(addr - s->addr));
			return;
		}
	}
	snprintf(buf, len, "0x%lx", (unsigned long)addr);
}
