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
 * Force-included (-include) into every kernel source of the hosted
 * flavour.  The kernel keeps its own headers (-nostdinc); only the names
 * that would clash with the C library of the Linux process, or that the
 * hosted runtime (hosted_rt.c) implements differently, are renamed.
 */
#ifndef _MINIKERN_HOSTED_SHIM_H_
#define	_MINIKERN_HOSTED_SHIM_H_

#define	MINIKERN_HOSTED	1

/* malloc(9) is not malloc(3): kern_malloc.c's allocator, renamed. */
#define	malloc		kern_malloc
#define	free		kern_free
#define	realloc		kern_realloc
#define	strdup		kern_strdup

/* Console output goes to the process's stderr (hosted_rt.c). */
#define	printf		kern_printf
#define	vprintf		kern_vprintf
#define	log		kern_log

#endif /* !_MINIKERN_HOSTED_SHIM_H_ */
