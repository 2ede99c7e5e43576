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
 * Mutexes.
 */
#ifndef _SYS_MUTEX_H_
#define	_SYS_MUTEX_H_

#include <sys/types.h>
#include <sys/lock.h>
#include <sys/kernel.h>

struct mtx {
	struct lock_object	lock_object;
	volatile uintptr_t	mtx_lock;
};

#define	MTX_DEF		0x00000000
#define	MTX_SPIN	0x00000001
#define	MTX_RECURSE	0x00000004
#define	MTX_NOWITNESS	0x00000008
#define	MTX_DUPOK	0x00000010

#define	MA_OWNED	0x01
#define	MA_NOTOWNED	0x02

void	_mtx_init(volatile uintptr_t *c, const char *name, const char *type,
	    int opts);
void	_mtx_destroy(volatile uintptr_t *c);
void	__mtx_lock_flags(volatile uintptr_t *c, int opts, const char *file,
	    int line);
void	__mtx_unlock_flags(volatile uintptr_t *c, int opts, const char *file,
	    int line);
void	__mtx_lock_spin_flags(volatile uintptr_t *c, int opts,
	    const char *file, int line);
void	__mtx_unlock_spin_flags(volatile uintptr_t *c, int opts,
	    const char *file, int line);
int	_mtx_trylock_flags_(volatile uintptr_t *c, int opts, const char *file,
	    int line);
void	__mtx_assert(const volatile uintptr_t *c, int what, const char *file,
	    int line);

#define	mtx_init(m, n, t, o)	_mtx_init(&(m)->mtx_lock, n, t, o)
#define	mtx_destroy(m)		_mtx_destroy(&(m)->mtx_lock)
#define	mtx_lock(m)							\
	__mtx_lock_flags(&(m)->mtx_lock, 0, LOCK_FILE, LOCK_LINE)
#define	mtx_unlock(m)							\
	__mtx_unlock_flags(&(m)->mtx_lock, 0, LOCK_FILE, LOCK_LINE)
#define	mtx_lock_spin(m)						\
	__mtx_lock_spin_flags(&(m)->mtx_lock, 0, LOCK_FILE, LOCK_LINE)
#define	mtx_unlock_spin(m)						\
	__mtx_unlock_spin_flags(&(m)->mtx_lock, 0, LOCK_FILE, LOCK_LINE)
#define	mtx_trylock(m)							\
	_mtx_trylock_flags_(&(m)->mtx_lock, 0, LOCK_FILE, LOCK_LINE)
#ifdef INVARIANTS
#define	mtx_assert(m, what)						\
	__mtx_assert(&(m)->mtx_lock, what, __FILE__, __LINE__)
#else
#define	mtx_assert(m, what)	(void)0
#endif

struct mtx_args {
	void		*ma_mtx;
	const char	*ma_desc;
	int		ma_opts;
};
void	mtx_sysinit(void *arg);

#define	MTX_SYSINIT(name, mtx, desc, opts)				\
	static struct mtx_args name##_args = {				\
		(mtx),							\
		(desc),							\
		(opts)							\
	};								\
	SYSINIT(name##_mtx_sysinit, SI_SUB_LOCK, SI_ORDER_MIDDLE,	\
	    mtx_sysinit, &name##_args);					\
	SYSUNINIT(name##_mtx_sysuninit, SI_SUB_LOCK, SI_ORDER_MIDDLE,	\
	    _mtx_destroy, __DEVOLATILE(void *, &(mtx)->mtx_lock))

#endif /* !_SYS_MUTEX_H_ */
