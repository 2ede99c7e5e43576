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
 * sys/linker.h: the kernel linker.  The kernel is file 1; klds are loaded
 * by the personality's link_elf_obj (tests/userhost/fbsd/kern).
 */

#ifndef _SYS_LINKER_H_
#define _SYS_LINKER_H_

#include <sys/_fbsd.h>
#include <sys/queue.h>
#include <machine/elf.h>

struct module;
struct mod_depend;
struct thread;
struct linker_class;

typedef struct linker_file *linker_file_t;
typedef TAILQ_HEAD(, linker_file) linker_file_list_t;

typedef caddr_t		linker_sym_t;
typedef c_caddr_t	c_linker_sym_t;

typedef struct linker_symval {
	const char	*name;
	caddr_t		value;
	size_t		size;
} linker_symval_t;

struct linker_file {
	const struct linker_class *ops;	/* kobj: the file's class */
	int		refs;		/* reference count */
	int		userrefs;	/* kldload(2) count */
	int		flags;
#define	LINKER_FILE_LINKED	0x1	/* file has been fully linked */
#define	LINKER_FILE_MODULES	0x2	/* file has >0 modules at preload */
	TAILQ_ENTRY(linker_file) link;	/* list of all loaded files */
	char		*filename;	/* file which was loaded */
	char		*pathname;	/* file name with full path */
	int		id;		/* unique id */
	caddr_t		address;	/* load address */
	size_t		size;		/* size of file */
	int		ndeps;		/* number of dependencies */
	linker_file_t	*deps;		/* list of dependencies */
	TAILQ_HEAD(, module) modules;	/* modules in this file */
	TAILQ_ENTRY(linker_file) loaded; /* preload dependency support */
	int		loadcnt;	/* load counter value */
	void		*priv;		/* the class's private state */
};

extern linker_file_t linker_kernel_file;

int	linker_reference_module(const char *_modname, struct mod_depend *_verinfo,
	    linker_file_t *_result);
int	linker_release_module(const char *_modname, struct mod_depend *_verinfo,
	    linker_file_t _file);
int	linker_file_lookup_set(linker_file_t _file, const char *_name,
	    void *_start, void *_stop, int *_count);
caddr_t	linker_file_lookup_symbol(linker_file_t _file, const char *_name,
	    int _deps);
typedef int linker_function_t(linker_file_t, void *);
int	linker_file_foreach(linker_function_t *_predicate, void *_context);
linker_file_t linker_find_file_by_id(int _fileid);
int	linker_ddb_lookup(const char *_symstr, c_linker_sym_t *_sym);
int	linker_search_symbol_name(caddr_t _value, char *_buf, u_int _buflen,
	    long *_offset);

/* Kernel-side kldload(2)/kldunload(2)/kldfind(2) (kern_linker.c). */
int	kern_kldload(struct thread *_td, const char *_file, int *_fileid);
#define	LINKER_UNLOAD_NORMAL	0
#define	LINKER_UNLOAD_FORCE	1
int	kern_kldunload(struct thread *_td, int _fileid, int _flags);
int	kern_kldfind(struct thread *_td, const char *_file, int *_fileid);

#endif /* !_SYS_LINKER_H_ */
