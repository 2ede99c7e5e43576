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

/* sys/sx.h: shared/exclusive sleep locks, sx(9). */

#ifndef _SYS_SX_H_
#define _SYS_SX_H_

#include <sys/_fbsd.h>
#include <sys/lock.h>

struct sx {
	struct lock_object	lock_object;
	/* Owner thread (exclusive) or SX_SHARERS_SHIFT-scaled count. */
	volatile uintptr_t	sx_lock;
};

#define	SX_LOCK_SHARED		0x01
#define	SX_UNLOCKED		SX_LOCK_SHARED
#define	SX_SHARERS_SHIFT	4
#define	SX_ONE_SHARER		(1UL << SX_SHARERS_SHIFT)

#define	SX_DUPOK	0x01
#define	SX_NOWITNESS	0x02
#define	SX_RECURSE	0x08

#define	SA_LOCKED	LA_LOCKED
#define	SA_SLOCKED	LA_SLOCKED
#define	SA_XLOCKED	LA_XLOCKED
#define	SA_UNLOCKED	LA_UNLOCKED
#define	SA_RECURSED	LA_RECURSED
#define	SA_NOTRECURSED	LA_NOTRECURSED

void	sx_sysinit(void *arg);
void	sx_init_flags(struct sx *sx, const char *description, int opts);
#define	sx_init(sx, desc)	sx_init_flags((sx), (desc), 0)
void	sx_destroy(struct sx *sx);
int	sx_try_xlock(struct sx *sx);
int	sx_try_slock(struct sx *sx);
void	sx_xlock(struct sx *sx);
void	sx_xunlock(struct sx *sx);
void	sx_slock(struct sx *sx);
void	sx_sunlock(struct sx *sx);
void	sx_unlock(struct sx *sx);
void	sx_downgrade(struct sx *sx);
int	sx_xlocked(struct sx *sx);
void	sx_assert(const struct sx *sx, int what);

struct sx_args {
	struct sx	*sa_sx;
	const char	*sa_desc;
	int		sa_flags;
};
#define	SX_SYSINIT_FLAGS(name, sxa, desc, flags)			\
	static struct sx_args name##_args = { (sxa), (desc), (flags) };	\
	SYSINIT(name##_sx_sysinit, SI_SUB_LOCK, SI_ORDER_MIDDLE,	\
	    sx_sysinit, &name##_args);					\
	SYSUNINIT(name##_sx_sysuninit, SI_SUB_LOCK, SI_ORDER_MIDDLE,	\
	    sx_destroy, (sxa))
#define	SX_SYSINIT(name, sxa, desc)	SX_SYSINIT_FLAGS(name, sxa, desc, 0)

#endif /* !_SYS_SX_H_ */
