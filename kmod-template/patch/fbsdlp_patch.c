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
 * The stub linked into every patch module: the patch info record (from -D
 * macros set by the link stage), the module declaration and the module
 * event handler that registers the patch with livepatch.ko.
 *
 *   LP_MODULE        the module's C identifier (e.g. fix_sa_26_01)
 *   LP_NAME          optional: the patch and module name, a string
 *                    (default: LP_MODULE's spelling)
 *   LP_BUILD_ID      the target kernel's build-id, comma-separated bytes
 *   LP_BUILD_ID_LEN  their number
 *   LP_FLAGS         FBSDLP_PATCH_* (default 0)
 *   LP_TOOL_VERSION  fbsd-patchgen version string
 *   LP_DIFF_SHA256   optional: 32 comma-separated bytes
 *   LP_NFIXES        optional: the number of fixes the patch carries
 *   LP_FIXES         with LP_NFIXES: {32 bytes},... the SHA-256 of each
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/linker_set.h>
#include <sys/module.h>

#include "fbsdlp_abi.h"
#include "livepatch.h"

#ifndef LP_MODULE
#error "LP_MODULE is required"
#endif
#ifndef LP_NAME
#define	LP_NAME		__XSTRING(LP_MODULE)
#endif
#ifndef LP_FLAGS
#define	LP_FLAGS	0
#endif
#ifndef LP_TOOL_VERSION
#define	LP_TOOL_VERSION	"unknown"
#endif
#ifndef LP_DIFF_SHA256
#define	LP_DIFF_SHA256	0
#endif
#ifndef LP_NFIXES
#define	LP_NFIXES	0
#define	LP_FIXES	{ 0 }
#endif

#define	LP_PTR(p)	((fbsdlp_u64)(uintptr_t)(p))

/* In the strings section, so the runtime's bounds checks cover them. */
static const char lp_name[] __section(FBSDLP_SEC_STRINGS) = LP_NAME;
static const char lp_tool[] __section(FBSDLP_SEC_STRINGS) = LP_TOOL_VERSION;

const struct fbsdlp_patch_info lp_patch_info __section(FBSDLP_SEC_INFO)
    __used __aligned(8) = {
	.magic = FBSDLP_INFO_MAGIC,
	.abi_version = FBSDLP_ABI_VERSION,
	.info_size = sizeof(struct fbsdlp_patch_info),
	.flags = LP_FLAGS,
	.freebsd_version = __FreeBSD_version,
	.name = LP_PTR(lp_name),
	.tool_version = LP_PTR(lp_tool),
	.build_id_len = LP_BUILD_ID_LEN,
	.build_id = { LP_BUILD_ID },
	.diff_sha256 = { LP_DIFF_SHA256 },
	.nfixes = LP_NFIXES,
	.fixes = { LP_FIXES },
};

static struct fbsdlp_patch *lp_patch;

/*
 * This module's own sets: the kernel linker binds their bounds to this
 * file's sections (weak, so an empty set reads NULL).
 */
SET_DECLARE(fbsdlp_info, char);
SET_DECLARE(fbsdlp_funcs, char);
SET_DECLARE(fbsdlp_relocs, char);
SET_DECLARE(fbsdlp_hook_pre_patch, char);
SET_DECLARE(fbsdlp_hook_post_patch, char);
SET_DECLARE(fbsdlp_hook_pre_unpatch, char);
SET_DECLARE(fbsdlp_hook_post_unpatch, char);

#define	LP_SET(set)	{ (const char *)SET_BEGIN(set),			\
	(const char *)SET_LIMIT(set) }

static const struct livepatch_sets lp_sets = {
	.info = LP_SET(fbsdlp_info),
	.funcs = LP_SET(fbsdlp_funcs),
	.relocs = LP_SET(fbsdlp_relocs),
	.hooks = {
		LP_SET(fbsdlp_hook_pre_patch),
		LP_SET(fbsdlp_hook_post_patch),
		LP_SET(fbsdlp_hook_pre_unpatch),
		LP_SET(fbsdlp_hook_post_unpatch),
	},
};

static int
lp_modevent(module_t mod, int what, void *arg)
{
	int error;

	(void)arg;
	switch (what) {
	case MOD_LOAD:
		/* Validates, checks the running kernel and applies. */
		return (livepatch_register(mod, &lp_sets, &lp_patch));
	case MOD_QUIESCE:
		/* kldunload without -f: refused while applied. */
		return (livepatch_quiesce(lp_patch));
	case MOD_UNLOAD:
		/* Even with -f: the replaced code jumps into this module. */
		error = livepatch_unregister(lp_patch);
		if (error == 0)
			lp_patch = NULL;
		return (error);
	case MOD_SHUTDOWN:
		return (0);
	default:
		return (EOPNOTSUPP);
	}
}

static moduledata_t lp_mod = {
	LP_NAME,
	lp_modevent,
	NULL
};
/* Tied to one __FreeBSD_version; the build-id ties it to one build. */
DECLARE_MODULE_TIED(LP_MODULE, lp_mod, SI_SUB_DRIVERS, SI_ORDER_ANY);
MODULE_DEPEND(LP_MODULE, livepatch, LIVEPATCH_VERSION, LIVEPATCH_VERSION,
    LIVEPATCH_VERSION);
MODULE_VERSION(LP_MODULE, 1);
