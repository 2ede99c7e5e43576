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
 * The patch stub for the test host: the part of a patch module that the
 * diff stage does not write.  Compiled per patch with -D macros and linked
 * to the diff output with "ld.lld -r":
 *   LP_NAME          patch name (string literal)
 *   LP_BUILD_ID      target build-id bytes, comma-separated
 *   LP_BUILD_ID_LEN  their number
 *   LP_FLAGS         FBSDLP_PATCH_* (default 0)
 *   LP_HOOKS         define to add hooks that count their calls in the
 *                    host's lp_hook_calls[]
 *   LP_PRE_PATCH_RET what the pre-patch hook returns (non-zero: veto)
 */

#include "fbsdlp_abi.h"

#ifndef LP_NAME
#error "LP_NAME is required"
#endif
#ifndef LP_FLAGS
#define LP_FLAGS 0
#endif
#ifndef LP_TOOL_VERSION
#define LP_TOOL_VERSION "userhost-stub"
#endif

#ifndef LP_NFIXES
#define LP_NFIXES 0
#define LP_FIXES { 0 }
#endif

#define LP_PTR(p) ((fbsdlp_u64)(__UINTPTR_TYPE__)(p))

static const char lp_name[] __attribute__((section(FBSDLP_SEC_STRINGS))) =
    LP_NAME;
static const char lp_tool[] __attribute__((section(FBSDLP_SEC_STRINGS))) =
    LP_TOOL_VERSION;

const struct fbsdlp_patch_info lp_patch_info
    __attribute__((section(FBSDLP_SEC_INFO), used, aligned(8))) = {
	.magic = FBSDLP_INFO_MAGIC,
	.abi_version = FBSDLP_ABI_VERSION,
	.info_size = sizeof(struct fbsdlp_patch_info),
	.flags = LP_FLAGS,
	.name = LP_PTR(lp_name),
	.tool_version = LP_PTR(lp_tool),
	.build_id_len = LP_BUILD_ID_LEN,
	.build_id = { LP_BUILD_ID },
	.nfixes = LP_NFIXES,
	.fixes = { LP_FIXES },
};

#ifdef LP_HOOKS
#ifndef LP_PRE_PATCH_RET
#define LP_PRE_PATCH_RET 0
#endif
extern volatile int lp_hook_calls[4];

static int
lp_pre_patch(void)
{
	lp_hook_calls[0]++;
	return (LP_PRE_PATCH_RET);
}

static int
lp_post_patch(void)
{
	lp_hook_calls[1]++;
	return (0);
}

static int
lp_pre_unpatch(void)
{
	lp_hook_calls[2]++;
	return (0);
}

static int
lp_post_unpatch(void)
{
	lp_hook_calls[3]++;
	return (0);
}

static fbsdlp_hook_fn const lp_hook_pre_patch[]
    __attribute__((section(FBSDLP_SEC_HOOK_PRE_PATCH), used)) =
    { lp_pre_patch };
static fbsdlp_hook_fn const lp_hook_post_patch[]
    __attribute__((section(FBSDLP_SEC_HOOK_POST_PATCH), used)) =
    { lp_post_patch };
static fbsdlp_hook_fn const lp_hook_pre_unpatch[]
    __attribute__((section(FBSDLP_SEC_HOOK_PRE_UNPATCH), used)) =
    { lp_pre_unpatch };
static fbsdlp_hook_fn const lp_hook_post_unpatch[]
    __attribute__((section(FBSDLP_SEC_HOOK_POST_UNPATCH), used)) =
    { lp_post_unpatch };
#endif
