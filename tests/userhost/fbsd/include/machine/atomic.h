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

/* machine/atomic.h: the atomic(9) operations, as compiler builtins. */

#ifndef _MACHINE_ATOMIC_H_
#define _MACHINE_ATOMIC_H_

#include <sys/_fbsd.h>

#define	__FBSD_ATOMIC(type, sfx)					\
static __inline void							\
atomic_add_##sfx(volatile type *p, type v)				\
{									\
	__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);			\
}									\
static __inline void							\
atomic_add_acq_##sfx(volatile type *p, type v)				\
{									\
	__atomic_fetch_add(p, v, __ATOMIC_ACQUIRE);			\
}									\
static __inline void							\
atomic_add_rel_##sfx(volatile type *p, type v)				\
{									\
	__atomic_fetch_add(p, v, __ATOMIC_RELEASE);			\
}									\
static __inline void							\
atomic_subtract_##sfx(volatile type *p, type v)				\
{									\
	__atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST);			\
}									\
static __inline type							\
atomic_fetchadd_##sfx(volatile type *p, type v)				\
{									\
	return (__atomic_fetch_add(p, v, __ATOMIC_SEQ_CST));		\
}									\
static __inline type							\
atomic_load_acq_##sfx(volatile type *p)					\
{									\
	return (__atomic_load_n(p, __ATOMIC_ACQUIRE));			\
}									\
static __inline void							\
atomic_store_rel_##sfx(volatile type *p, type v)			\
{									\
	__atomic_store_n(p, v, __ATOMIC_RELEASE);			\
}									\
static __inline int							\
atomic_cmpset_##sfx(volatile type *p, type expect, type src)		\
{									\
	return (__atomic_compare_exchange_n(p, &expect, src, 0,		\
	    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));			\
}									\
static __inline int							\
atomic_cmpset_acq_##sfx(volatile type *p, type expect, type src)	\
{									\
	return (__atomic_compare_exchange_n(p, &expect, src, 0,		\
	    __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE));			\
}									\
static __inline int							\
atomic_cmpset_rel_##sfx(volatile type *p, type expect, type src)	\
{									\
	return (__atomic_compare_exchange_n(p, &expect, src, 0,		\
	    __ATOMIC_RELEASE, __ATOMIC_RELAXED));			\
}

__FBSD_ATOMIC(u_int, int)
__FBSD_ATOMIC(u_long, long)
__FBSD_ATOMIC(uintptr_t, ptr)

#define	atomic_load_int(p)	__atomic_load_n((p), __ATOMIC_RELAXED)
#define	atomic_store_int(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define	atomic_thread_fence_seq_cst()	__atomic_thread_fence(__ATOMIC_SEQ_CST)

#endif /* !_MACHINE_ATOMIC_H_ */
