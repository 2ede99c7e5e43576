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
 * livepatch.ko's interface to patch modules: the stub of every patch
 * module calls these from its module event handler.
 */

#ifndef _LIVEPATCH_H_
#define _LIVEPATCH_H_

#define	LIVEPATCH_VERSION	2	/* for MODULE_DEPEND */

struct fbsdlp_patch;

/*
 * The patch module's own linker sets, [start, stop) each, as the kernel
 * linker bound the module's __start_set_X/__stop_set_X (both NULL for an
 * empty set).  The module passes them because livepatch.ko cannot look
 * them up itself during MOD_LOAD: linker_file_lookup_set() requires
 * kld_sx, which linker_file_sysinit() drops around the SYSINITs.
 */
struct livepatch_sets {
	const char	*info[2];		/* set_fbsdlp_info */
	const char	*funcs[2];		/* set_fbsdlp_funcs */
	const char	*relocs[2];		/* set_fbsdlp_relocs */
	const char	*hooks[4][2];		/* set_fbsdlp_hook_* in
						   FBSDLP_HOOK_* order */
};

/*
 * MOD_LOAD: validate the calling module's patch, check it against the
 * running kernel and apply it.  On failure nothing is changed and the
 * error is also in debug.livepatch.last_error.
 */
int	livepatch_register(module_t mod, const struct livepatch_sets *sets,
	    struct fbsdlp_patch **pp);
/* MOD_QUIESCE: EBUSY while the patch is applied. */
int	livepatch_quiesce(struct fbsdlp_patch *p);
/* MOD_UNLOAD: forget the patch; EBUSY while it is applied. */
int	livepatch_unregister(struct fbsdlp_patch *p);

#endif /* !_LIVEPATCH_H_ */
