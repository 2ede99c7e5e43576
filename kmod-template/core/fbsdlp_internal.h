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

/* Declarations shared by the core's own files; not part of its interface. */

#ifndef FBSDLP_INTERNAL_H
#define FBSDLP_INTERNAL_H

#include "fbsdlp_core.h"

#define FBSDLP_JMP_LEN		5	/* e9 rel32 */
#define FBSDLP_ENDBR_LEN	4	/* f3 0f 1e fa */
#define FBSDLP_MAX_FUNCS	65536	/* sanity bound on records per patch */
#define FBSDLP_MAX_RELOCS	1048576
#define FBSDLP_MAX_HOOKS	64

struct lp_site;

/* The runtime's view of one validated struct fbsdlp_func. */
struct lp_func {
	struct fbsdlp_patch	*patch;
	const char		*name;
	const char		*objname;
	fbsdlp_u64		old_addr;	/* 0 for FBSDLP_FUNC_NEW */
	fbsdlp_u64		old_size;
	fbsdlp_u64		new_addr;
	fbsdlp_u64		new_size;
	fbsdlp_u64		old_hash;
	const struct fbsdlp_mask *masks;
	fbsdlp_u32		nmasks;
	fbsdlp_u32		sympos;
	fbsdlp_u32		rflags;		/* record's FBSDLP_FUNC_* */
	fbsdlp_u32		patch_off;	/* 0, or 4 after endbr64 */
	int			is_new;
	struct lp_site		*site;		/* while applied */
	struct lp_func		*below;		/* while applied: older version */
};

/*
 * One redirected function entry.  orig holds the bytes the jump covers, as
 * they were before the first patch of this function.
 */
struct lp_site {
	struct lp_site	*next;
	fbsdlp_u64	addr;		/* patch point */
	fbsdlp_u8	orig[FBSDLP_JMP_LEN];
	struct lp_func	*top;		/* the version that runs */
};

struct fbsdlp_patch {
	struct fbsdlp_patch	*next;
	struct fbsdlp_rt	*rt;
	const char		*name;
	const char		*tool_version;
	fbsdlp_u32		flags;
	int			state;
	int			displaced;	/* by the replace-all in progress */
	fbsdlp_u64		seq;
	struct lp_func		*funcs;
	fbsdlp_u32		nfuncs;
	fbsdlp_u32		nrelocs;
	const fbsdlp_u64	*hooks[FBSDLP_HOOK_NKINDS];
	fbsdlp_u32		nhooks[FBSDLP_HOOK_NKINDS];
	fbsdlp_u32		nfixes;
	fbsdlp_u8		fixes[FBSDLP_FIXES_MAX][FBSDLP_SHA256_LEN];
};

struct fbsdlp_rt {
	struct fbsdlp_platform	pl;
	struct fbsdlp_patch	*patches;	/* registration order */
	struct lp_site		*sites;
	fbsdlp_u64		seq;
	fbsdlp_u32		attempts;
	fbsdlp_u32		first_us;
	fbsdlp_u32		max_us;
	struct fbsdlp_stats	stats;
	char			err[512];
};

/* fbsdlp_util.c */
void	fbsdlp_memcpy(void *dst, const void *src, fbsdlp_size len);
void	fbsdlp_memset(void *dst, int c, fbsdlp_size len);
int	fbsdlp_memcmp(const void *a, const void *b, fbsdlp_size len);
int	fbsdlp_strcmp(const char *a, const char *b);
fbsdlp_size fbsdlp_strlen(const char *s);
int	fbsdlp_vsnprintf(char *buf, fbsdlp_size len, const char *fmt,
	    __builtin_va_list ap);

/* fbsdlp_core.c */
int	lp_error(struct fbsdlp_rt *rt, int error, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
void	lp_log(struct fbsdlp_rt *rt, int level, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
struct lp_site *lp_site_find(struct fbsdlp_rt *rt, fbsdlp_u64 addr);
int	lp_verify_old(struct fbsdlp_rt *rt, struct fbsdlp_patch *p,
	    struct lp_func *f);

/* fbsdlp_parse.c */
int	lp_parse(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
	    struct fbsdlp_patch **pp);
void	lp_patch_free(struct fbsdlp_rt *rt, struct fbsdlp_patch *p);

#endif /* !FBSDLP_INTERNAL_H */
