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
 * The portable runtime core: what a host (livepatch.ko, the Linux test
 * host) calls.  The core keeps no lock of its own: the host serialises all
 * calls on one runtime (an sx lock in the kernel, one control thread in the
 * test host), because every operation may sleep between its steps.
 */

#ifndef FBSDLP_CORE_H
#define FBSDLP_CORE_H

#include "fbsdlp_platform.h"

struct fbsdlp_rt;
struct fbsdlp_patch;

/* A byte range; size 0 means absent. */
struct fbsdlp_span {
	fbsdlp_u64 start;
	fbsdlp_u64 size;
};

/* fbsdlp_region.flags */
#define FBSDLP_REGION_READ	0x1u
#define FBSDLP_REGION_WRITE	0x2u
#define FBSDLP_REGION_EXEC	0x4u

/* Memory the loader placed the patch module in. */
struct fbsdlp_region {
	fbsdlp_u64 start;
	fbsdlp_u64 size;
	fbsdlp_u32 flags;
};

/* Hook kinds, index of fbsdlp_image.hooks. */
#define FBSDLP_HOOK_PRE_PATCH	0
#define FBSDLP_HOOK_POST_PATCH	1
#define FBSDLP_HOOK_PRE_UNPATCH	2
#define FBSDLP_HOOK_POST_UNPATCH 3
#define FBSDLP_HOOK_NKINDS	4

/*
 * A loaded patch module as the loader sees it: where its sections landed.
 * Every pointer found in a record must point into one of the regions (code
 * into an executable one); strings and masks, when their spans are given,
 * into those.  The image need not outlive fbsdlp_register().
 */
struct fbsdlp_image {
	const char		*modname;	/* for messages */
	const struct fbsdlp_region *regions;
	fbsdlp_u32		nregions;
	struct fbsdlp_span	info;		/* set_fbsdlp_info */
	struct fbsdlp_span	funcs;		/* set_fbsdlp_funcs */
	struct fbsdlp_span	relocs;		/* set_fbsdlp_relocs */
	struct fbsdlp_span	strings;	/* .fbsdlp.strings (optional) */
	struct fbsdlp_span	masks;		/* .fbsdlp.masks (optional) */
	struct fbsdlp_span	hooks[FBSDLP_HOOK_NKINDS];
};

/* Patch states. */
#define FBSDLP_STATE_LOADED	1	/* registered, not applied */
#define FBSDLP_STATE_APPLIED	2

struct fbsdlp_patch_status {
	const char	*name;
	const char	*tool_version;
	int		state;		/* FBSDLP_STATE_* */
	fbsdlp_u32	flags;		/* FBSDLP_PATCH_* */
	fbsdlp_u32	nfuncs;
	fbsdlp_u32	nrelocs;
	fbsdlp_u64	seq;		/* apply order, 0 when not applied */
	fbsdlp_u32	nfixes;		/* SHA-256 of each fix it carries */
	const fbsdlp_u8	(*fixes)[FBSDLP_SHA256_LEN];
};

struct fbsdlp_func_status {
	const char	*name;
	const char	*objname;
	fbsdlp_u64	old_addr;	/* 0 for FBSDLP_FUNC_NEW */
	fbsdlp_u64	new_addr;
	int		active;		/* this patch's version is the one run */
};

struct fbsdlp_stats {
	fbsdlp_u64	applies;	/* successful operations */
	fbsdlp_u64	reverts;
	fbsdlp_u64	failures;
	fbsdlp_u64	stops;		/* stop-machine calls, including retries */
	fbsdlp_u64	last_stop_ns;	/* duration of the last stop-machine */
	fbsdlp_u64	max_stop_ns;
	fbsdlp_u32	last_attempts;	/* attempts the last operation needed */
	fbsdlp_u32	nsites;		/* functions currently redirected */
};

int	fbsdlp_rt_create(const struct fbsdlp_platform *pl,
	    struct fbsdlp_rt **rtp);
/* Refused (FBSDLP_EBUSY) while patches are registered. */
int	fbsdlp_rt_destroy(struct fbsdlp_rt *rt);
/* Consistency retries: attempts >= 1, backoff doubling from first_us. */
void	fbsdlp_rt_set_retry(struct fbsdlp_rt *rt, fbsdlp_u32 attempts,
	    fbsdlp_u32 first_us, fbsdlp_u32 max_us);

/*
 * Parse and validate a loaded patch module, check its build-id, resolve and
 * verify every old function and apply its livepatch relocations.  On
 * success the patch is LOADED; on failure nothing is kept.
 */
int	fbsdlp_register(struct fbsdlp_rt *rt, const struct fbsdlp_image *img,
	    struct fbsdlp_patch **pp);
int	fbsdlp_apply(struct fbsdlp_rt *rt, struct fbsdlp_patch *p);
int	fbsdlp_revert(struct fbsdlp_rt *rt, struct fbsdlp_patch *p);
/* Refused while applied; afterwards the module may be unloaded. */
int	fbsdlp_unregister(struct fbsdlp_rt *rt, struct fbsdlp_patch *p);

struct fbsdlp_patch *fbsdlp_find(struct fbsdlp_rt *rt, const char *name);
/* Registered patches in registration order; NULL starts, NULL ends. */
struct fbsdlp_patch *fbsdlp_next(struct fbsdlp_rt *rt,
	    struct fbsdlp_patch *prev);
void	fbsdlp_patch_status(const struct fbsdlp_patch *p,
	    struct fbsdlp_patch_status *st);
int	fbsdlp_func_status(const struct fbsdlp_patch *p, fbsdlp_u32 i,
	    struct fbsdlp_func_status *st);
void	fbsdlp_get_stats(const struct fbsdlp_rt *rt, struct fbsdlp_stats *st);

/* The message of the last failed operation ("" if none). */
const char *fbsdlp_last_error(const struct fbsdlp_rt *rt);

/* Core functions the patching path runs through, for the deny list. */
extern const struct fbsdlp_deny fbsdlp_core_deny[];
extern const fbsdlp_u32 fbsdlp_core_ndeny;

/* Helpers the core defines because it may include no OS header. */
int	fbsdlp_snprintf(char *buf, fbsdlp_size len, const char *fmt, ...)
	    __attribute__((__format__(__printf__, 3, 4)));

#endif /* !FBSDLP_CORE_H */
