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
 * Where patches go: the running FreeBSD kernel (backend_freebsd.c: kldload
 * and the debug.livepatch sysctls of livepatch(4)) or, in the tests, the
 * userspace host of tests/userhost over its control socket
 * (tests/userhost/backend_userhost.c).  One implementation is linked in.
 * Each function returns an LP_EX_* value and sets lp_errmsg on failure.
 */

#ifndef LP_BACKEND_H
#define LP_BACKEND_H

#include <stddef.h>
#include <stdint.h>

/* "the running kernel", or the host's socket. */
const char *lpb_describe(void);
/* kern.build_id: lower-case hex. */
int	lpb_build_id(char *out, size_t len);
/* kern.osreldate, or 0 if the target has none (the test host). */
int	lpb_osreldate(uint32_t *v);
/*
 * Make sure the runtime is there (kldload livepatch if needed); *loaded
 * says whether this call loaded it, so that a failed load can unload it
 * again (lpb_runtime_unload).
 */
int	lpb_runtime(int verbose, int *loaded);
int	lpb_runtime_unload(void);
/* Load the module at path (an absolute path); the module applies itself. */
int	lpb_load(const char *path, const char *name);
/*
 * The runtime's patch list, as debug.livepatch.patches prints it, in a
 * malloc'd string: per patch "NAME STATE key=value...", then per function
 * "  M FUNC (OBJECT) ..." with M '*' for the version that runs.
 */
int	lpb_patches(char **text);
int	lpb_apply(const char *name);
int	lpb_revert(const char *name);
/* Unload the module of a patch that is not applied. */
int	lpb_unload(const char *name);
/*
 * Whether the module file NAME.ko is loaded, whatever it registered; 0
 * where a module is nothing apart from its patch (the test host).
 */
int	lpb_loaded(const char *name);

#endif /* !LP_BACKEND_H */
