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
 * The userspace host: the runtime core hosted in a Linux process that plays
 * the kernel.  Declarations shared by the host's files.
 */

#ifndef UH_H
#define UH_H

#include <stddef.h>
#include <stdint.h>

#include "fbsdlp_core.h"

/* The running program's symbol table, read from /proc/self/exe. */
struct uh_sym {
	const char	*name;
	uint64_t	addr;
	uint64_t	size;
	unsigned char	bind;
	unsigned char	type;
	int		file;		/* index in uh_symtab.files, -1: none */
};

struct uh_symtab {
	char		*strings;	/* copy of .strtab */
	struct uh_sym	*syms;
	size_t		nsyms;
	const char	**files;	/* STT_FILE names */
	size_t		nfiles;
	uint8_t		build_id[FBSDLP_BUILD_ID_MAX];
	uint32_t	build_id_len;
};

int	uh_symtab_load(const char *path, struct uh_symtab *tab, char *err,
	    size_t errlen);
int	uh_sym_lookup(const struct uh_symtab *tab, const char *name,
	    const char *objname, uint32_t sympos, uint64_t *addr,
	    uint64_t *size);
int	uh_sym_global(const struct uh_symtab *tab, const char *name,
	    uint64_t *addr);
/* "name+0xoff" for an address, for messages. */
void	uh_sym_describe(const struct uh_symtab *tab, uint64_t addr, char *buf,
	    size_t len);

/* A patch object loaded by the kldload analogue. */
#define UH_NREGIONS 3
struct uh_module {
	char		name[64];
	void		*base;
	size_t		size;
	struct fbsdlp_region regions[UH_NREGIONS];
	uint32_t	nregions;
	struct fbsdlp_image img;
};

int	uh_load_file(const char *path, const struct uh_symtab *tab,
	    struct uh_module **mp, char *err, size_t errlen);
int	uh_load_buf(const void *buf, size_t len, const char *modname,
	    const struct uh_symtab *tab, struct uh_module **mp, char *err,
	    size_t errlen);
void	uh_unload(struct uh_module *m);

/* The platform on Linux. */
int	uh_platform_init(struct fbsdlp_platform *pl, struct uh_symtab *tab,
	    char *err, size_t errlen);
/* Every thread that may run patched code registers its stack bounds. */
void	uh_thread_register(const char *name);
void	uh_thread_unregister(void);
/* Extra deny-list entries (tests use it to stand for platform code). */
int	uh_deny_add(const void *addr, const char *name);
/* Make text_write fail after n more calls (tests the all-or-nothing path). */
void	uh_fail_text_write_after(int n);
uint64_t uh_last_rendezvous_ns(void);

/*
 * The control socket.  Commands the server does not know go to the host's
 * own handler, which returns -1 for "unknown", 0 for success and a
 * positive value for failure, with its output or message in out.
 */
typedef int uh_cmd_fn(int argc, char **argv, char *out, size_t len);
int	uh_server_run(const char *sockpath, struct fbsdlp_rt *rt,
	    const struct uh_symtab *tab, uh_cmd_fn *hostcmd);

/* Client side, shared by lpctl and the tests. */
int	uh_client_request(const char *sockpath, const char *req, char **resp,
	    char *err, size_t errlen);

#endif /* !UH_H */
