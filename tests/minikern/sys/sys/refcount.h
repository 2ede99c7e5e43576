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
 * refcount(9): simple atomic reference counts.
 */
#ifndef _SYS_REFCOUNT_H_
#define	_SYS_REFCOUNT_H_

#include <sys/types.h>
#include <sys/systm.h>
#include <machine/atomic.h>

static __inline void
refcount_init(volatile u_int *count, u_int value)
{
	atomic_store_int(count, value);
}

static __inline u_int
refcount_acquire(volatile u_int *count)
{
	return (atomic_fetchadd_int(count, 1));
}

static __inline bool
refcount_release(volatile u_int *count)
{
	u_int old;

	old = atomic_fetchadd_int(count, -1);
	KASSERT(old > 0, ("refcount %p is zero", count));
	return (old == 1);
}

static __inline u_int
refcount_load(volatile u_int *count)
{
	return (atomic_load_int(count));
}

#endif /* !_SYS_REFCOUNT_H_ */
