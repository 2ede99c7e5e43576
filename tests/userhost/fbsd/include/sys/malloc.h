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

/* sys/malloc.h: malloc(9). */

#ifndef _SYS_MALLOC_H_
#define _SYS_MALLOC_H_

#include <sys/_fbsd.h>
#include <sys/kernel.h>

#define	M_NOWAIT	0x0001
#define	M_WAITOK	0x0002
#define	M_ZERO		0x0100
#define	M_NOVM		0x0200
#define	M_USE_RESERVE	0x0400
#define	M_NODUMP	0x0800
#define	M_EXEC		0x4000

#define	M_MAGIC		877983977	/* time when first defined :-) */

/* Personality statistics live in the type itself. */
struct malloc_type {
	struct malloc_type *ks_next;
	u_long		ks_version;
	const char	*ks_shortdesc;
	u_long		ks_inuse;	/* allocations outstanding */
	u_long		ks_memuse;	/* bytes outstanding */
	u_long		ks_calls;
};

void	malloc_init(void *);
void	malloc_uninit(void *);

#define	MALLOC_DEFINE(type, shortdesc, longdesc)			\
	struct malloc_type type[1] = {					\
		{ NULL, M_MAGIC, shortdesc, 0, 0, 0 }			\
	};								\
	SYSINIT(type##_init, SI_SUB_KMEM, SI_ORDER_THIRD, malloc_init,	\
	    type);							\
	SYSUNINIT(type##_uninit, SI_SUB_KMEM, SI_ORDER_ANY,		\
	    malloc_uninit, type)
#define	MALLOC_DECLARE(type)	extern struct malloc_type type[1]

MALLOC_DECLARE(M_TEMP);
MALLOC_DECLARE(M_DEVBUF);

void	*malloc(size_t size, struct malloc_type *type, int flags)
	    __FBSD_KPI(malloc);
void	*realloc(void *addr, size_t size, struct malloc_type *type,
	    int flags) __FBSD_KPI(realloc);
void	free(void *addr, struct malloc_type *type) __FBSD_KPI(free);

#endif /* !_SYS_MALLOC_H_ */
