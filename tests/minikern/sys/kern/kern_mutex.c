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
 * Sleep mutexes, reduced to spinning on the owner word: 0 when free,
 * the owning thread otherwise.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/pcpu.h>
#include <machine/atomic.h>
#include <machine/cpufunc.h>

#define	MTX_UNOWNED	0
#define	MTX_SPINS	200

void
_mtx_init(volatile uintptr_t *c, const char *name __unused,
    const char *type __unused, int opts __unused)
{
	*c = MTX_UNOWNED;
}

void
_mtx_destroy(volatile uintptr_t *c)
{
	KASSERT(*c == MTX_UNOWNED, ("destroying a locked mutex %p", c));
}

void
__mtx_lock_flags(volatile uintptr_t *c, int opts __unused,
    const char *file __unused, int line __unused)
{
	uintptr_t tid;
	int spins;

	tid = (uintptr_t)curthread;
	KASSERT(*c != tid, ("recursing on non-recursive mutex %p", c));
	for (spins = 0; !atomic_cmpset_acq_ptr(c, MTX_UNOWNED, tid);) {
		cpu_spinwait();
		if (++spins == MTX_SPINS) {
			spins = 0;
			kern_yield(PRI_USER);
		}
	}
}

void
__mtx_unlock_flags(volatile uintptr_t *c, int opts __unused,
    const char *file __unused, int line __unused)
{
	KASSERT(*c == (uintptr_t)curthread,
	    ("unlocking a mutex %p not owned", c));
	atomic_store_rel_ptr(c, MTX_UNOWNED);
}

int
_mtx_trylock_flags_(volatile uintptr_t *c, int opts __unused,
    const char *file __unused, int line __unused)
{
	return (atomic_cmpset_acq_ptr(c, MTX_UNOWNED, (uintptr_t)curthread));
}

void
__mtx_assert(const volatile uintptr_t *c, int what, const char *file,
    int line)
{
	switch (what) {
	case MA_OWNED:
		if (*c != (uintptr_t)curthread)
			panic("mutex %p not owned at %s:%d", c, file, line);
		break;
	case MA_NOTOWNED:
		if (*c == (uintptr_t)curthread)
			panic("mutex %p owned at %s:%d", c, file, line);
		break;
	default:
		panic("unknown mtx_assert at %s:%d", file, line);
	}
}

void
mtx_sysinit(void *arg)
{
	struct mtx_args *margs = arg;

	mtx_init((struct mtx *)margs->ma_mtx, margs->ma_desc, NULL,
	    margs->ma_opts);
}
