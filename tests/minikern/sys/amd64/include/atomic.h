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
 * amd64 atomic operations (a subset), as inline assembly.
 */
#ifndef _MACHINE_ATOMIC_H_
#define	_MACHINE_ATOMIC_H_

#include <sys/types.h>

static __inline void
atomic_add_int(volatile u_int *p, u_int v)
{
	__asm __volatile("lock; addl %1,%0"
	    : "+m" (*p) : "ir" (v) : "cc");
}

static __inline void
atomic_subtract_int(volatile u_int *p, u_int v)
{
	__asm __volatile("lock; subl %1,%0"
	    : "+m" (*p) : "ir" (v) : "cc");
}

static __inline void
atomic_add_long(volatile u_long *p, u_long v)
{
	__asm __volatile("lock; addq %1,%0"
	    : "+m" (*p) : "ir" (v) : "cc");
}

static __inline u_int
atomic_fetchadd_int(volatile u_int *p, u_int v)
{
	__asm __volatile("lock; xaddl %0,%1"
	    : "+r" (v), "+m" (*p) : : "cc");
	return (v);
}

static __inline int
atomic_cmpset_int(volatile u_int *dst, u_int expect, u_int src)
{
	u_char res;

	__asm __volatile("lock; cmpxchgl %3,%1; sete %0"
	    : "=q" (res), "+m" (*dst), "+a" (expect)
	    : "r" (src) : "memory", "cc");
	return (res);
}

static __inline int
atomic_cmpset_long(volatile u_long *dst, u_long expect, u_long src)
{
	u_char res;

	__asm __volatile("lock; cmpxchgq %3,%1; sete %0"
	    : "=q" (res), "+m" (*dst), "+a" (expect)
	    : "r" (src) : "memory", "cc");
	return (res);
}

static __inline u_long
atomic_fetchadd_long(volatile u_long *p, u_long v)
{
	__asm __volatile("lock; xaddq %0,%1"
	    : "+r" (v), "+m" (*p) : : "cc");
	return (v);
}

#define	atomic_cmpset_ptr(p, e, s)						atomic_cmpset_long((volatile u_long *)(p), (u_long)(e), (u_long)(s))
#define	atomic_cmpset_acq_ptr	atomic_cmpset_ptr
#define	atomic_load_long(p)	(*(volatile u_long *)(p))
#define	atomic_store_rel_ptr(p, v) do {						__asm __volatile("" ::: "memory");					*(volatile uintptr_t *)(p) = (uintptr_t)(v);			} while (0)

#define	atomic_load_int(p)	(*(volatile u_int *)(p))
#define	atomic_load_ptr(p)	(*(volatile __typeof(*(p)) *)(p))
#define	atomic_store_int(p, v)	(*(volatile u_int *)(p) = (v))
#define	atomic_thread_fence_seq_cst() __asm __volatile("mfence" ::: "memory")

#endif /* !_MACHINE_ATOMIC_H_ */
