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
 * linker_if.h: the kobj methods of linker_if.m that kernel code calls
 * directly.  In FreeBSD this header is generated; here they dispatch to
 * the file's class (the kernel image, or an ET_REL kld).
 */

#ifndef _LINKER_IF_H_
#define _LINKER_IF_H_

#include <sys/linker.h>

struct linker_class {
	const char *name;
	long	(*symtab_get)(linker_file_t, const Elf_Sym **);
	long	(*strtab_get)(linker_file_t, caddr_t *);
	int	(*lookup_symbol)(linker_file_t, const char *, c_linker_sym_t *);
	int	(*symbol_values)(linker_file_t, c_linker_sym_t,
		    linker_symval_t *);
	int	(*search_symbol)(linker_file_t, caddr_t, c_linker_sym_t *,
		    long *);
	int	(*lookup_set)(linker_file_t, const char *, void ***, void ***,
		    int *);
	void	(*unload)(linker_file_t);
};

static __inline long
LINKER_SYMTAB_GET(linker_file_t file, const Elf_Sym **symtab)
{
	return (file->ops->symtab_get(file, symtab));
}

static __inline long
LINKER_STRTAB_GET(linker_file_t file, caddr_t *strtab)
{
	return (file->ops->strtab_get(file, strtab));
}

static __inline int
LINKER_LOOKUP_SYMBOL(linker_file_t file, const char *name,
    c_linker_sym_t *sym)
{
	return (file->ops->lookup_symbol(file, name, sym));
}

static __inline int
LINKER_SYMBOL_VALUES(linker_file_t file, c_linker_sym_t sym,
    linker_symval_t *symval)
{
	return (file->ops->symbol_values(file, sym, symval));
}

static __inline int
LINKER_SEARCH_SYMBOL(linker_file_t file, caddr_t value, c_linker_sym_t *sym,
    long *diffp)
{
	return (file->ops->search_symbol(file, value, sym, diffp));
}

static __inline int
LINKER_LOOKUP_SET(linker_file_t file, const char *name, void ***start,
    void ***stop, int *count)
{
	return (file->ops->lookup_set(file, name, start, stop, count));
}

#endif /* !_LINKER_IF_H_ */
