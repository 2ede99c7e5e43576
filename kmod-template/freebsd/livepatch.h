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

#define	LIVEPATCH_VERSION	1	/* for MODULE_DEPEND */

struct fbsdlp_patch;

/*
 * MOD_LOAD: validate the calling module's patch, check it against the
 * running kernel and apply it.  On failure nothing is changed and the
 * error is also in debug.livepatch.last_error.
 */
int	livepatch_register(module_t mod, struct fbsdlp_patch **pp);
/* MOD_QUIESCE: EBUSY while the patch is applied. */
int	livepatch_quiesce(struct fbsdlp_patch *p);
/* MOD_UNLOAD: forget the patch; EBUSY while it is applied. */
int	livepatch_unregister(struct fbsdlp_patch *p);

#endif /* !_LIVEPATCH_H_ */
