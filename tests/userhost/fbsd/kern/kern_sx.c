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
 * sx(9) and mutex(9), as an INVARIANTS kernel checks them: unlocking a
 * lock one does not hold, recursing on a non-recursive one, destroying a
 * held one and taking a sleepable lock with interrupts disabled or in a
 * critical section all panic; sx_assert() and mtx_assert() are always on.
 * A thread that waits gives up its CPU (fbsd_switch_out) and, like
 * FreeBSD's sleep paths, drops Giant meanwhile.  Waiters sleep on one of
 * a few host lock chains hashed by the lock's address (the sleepqueue
 * chains).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/lock.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/sx.h>

#include "fbsd_kern.h"

#define	SC_NCHAINS	32
#define	SX_OWNER(x)	(((x) & SX_LOCK_SHARED) != 0 ? NULL :		\
	(struct thread *)(x))
#define	SX_SHARERS(x)	(((x) & SX_LOCK_SHARED) != 0 ?			\
	(x) >> SX_SHARERS_SHIFT : 0)

struct mtx Giant;

static struct fbsd_host_lock *sc_chains[SC_NCHAINS];
static struct fbsd_host_lock *sc_init_lock;

static struct fbsd_host_lock *
sc_lookup(const void *wchan)
{
	u_int i;

	i = (u_int)(((uintptr_t)wchan >> 6) % SC_NCHAINS);
	if (__atomic_load_n(&sc_chains[i], __ATOMIC_ACQUIRE) == NULL) {
		/* First use, during boot, by one thread: no race. */
		if (sc_init_lock == NULL)
			sc_init_lock = fbsd_host_lock_new();
		fbsd_host_lock(sc_init_lock);
		if (sc_chains[i] == NULL)
			__atomic_store_n(&sc_chains[i], fbsd_host_lock_new(),
			    __ATOMIC_RELEASE);
		fbsd_host_unlock(sc_init_lock);
	}
	return (sc_chains[i]);
}

static void
sleepable(const char *what, const char *name)
{
	struct thread *td = curthread;

	if (td == NULL)
		panic("%s %s: not a kernel thread", what, name);
	if (td->td_oncpu == NOCPU)
		panic("%s %s: thread %d is not on a CPU", what, name,
		    td->td_tid);
	if (td->td_critnest != 0 || !fbsd_intr_enabled())
		panic("%s %s: sleepable lock in a critical section or with "
		    "interrupts disabled (thread %d)", what, name, td->td_tid);
}

/* Giant is dropped while its owner sleeps, and picked up again. */
static int
giant_save(struct thread *td)
{
	int n;

	if (Giant.mtx_lock != (uintptr_t)td)
		return (0);
	n = (int)Giant.lock_object.lo_data + 1;
	Giant.lock_object.lo_data = 0;
	mtx_unlock(&Giant);
	return (n);
}

static void
giant_restore(int n)
{
	if (n == 0)
		return;
	mtx_lock(&Giant);
	Giant.lock_object.lo_data = (u_int)(n - 1);
}

/* Sleep on chain (held) until woken; returns with chain unlocked. */
static void
sc_sleep(struct thread *td, struct fbsd_host_lock *chain, const char *wmesg)
{
	fbsd_switch_out(td, wmesg);
	(void)fbsd_host_wait(chain, 0);
	fbsd_host_unlock(chain);
	fbsd_switch_in(td);
}

void
sx_init_flags(struct sx *sx, const char *description, int opts)
{
	if ((sx->lock_object.lo_flags & LO_INITIALIZED) != 0 &&
	    sx->sx_lock != SX_UNLOCKED && sx->sx_lock != 0)
		panic("sx_init: %s: already initialised and held",
		    description);
	sx->lock_object.lo_name = description;
	sx->lock_object.lo_flags = LO_INITIALIZED |
	    ((opts & SX_RECURSE) != 0 ? LO_RECURSABLE : 0);
	sx->lock_object.lo_data = 0;
	sx->sx_lock = SX_UNLOCKED;
}

void
sx_sysinit(void *arg)
{
	struct sx_args *sargs = arg;

	sx_init_flags(sargs->sa_sx, sargs->sa_desc, sargs->sa_flags);
}

static void
sx_check(const struct sx *sx, const char *what)
{
	if ((sx->lock_object.lo_flags & LO_INITIALIZED) == 0)
		panic("%s: sx %p is not initialised", what, sx);
}

void
sx_destroy(struct sx *sx)
{
	sx_check(sx, "sx_destroy");
	if (sx->sx_lock != SX_UNLOCKED)
		panic("sx_destroy: sx %s is held", sx->lock_object.lo_name);
	sx->lock_object.lo_flags = 0;
	sx->sx_lock = 0;
}

int
sx_try_xlock(struct sx *sx)
{
	struct fbsd_host_lock *chain;
	int ok;

	sx_check(sx, "sx_try_xlock");
	chain = sc_lookup(sx);
	fbsd_host_lock(chain);
	ok = sx->sx_lock == SX_UNLOCKED;
	if (ok)
		sx->sx_lock = (uintptr_t)curthread;
	fbsd_host_unlock(chain);
	return (ok);
}

void
sx_xlock(struct sx *sx)
{
	struct fbsd_host_lock *chain;
	struct thread *td = curthread;
	int giant;

	sx_check(sx, "sx_xlock");
	sleepable("sx_xlock", sx->lock_object.lo_name);
	if (SX_OWNER(sx->sx_lock) == td) {
		if ((sx->lock_object.lo_flags & LO_RECURSABLE) == 0)
			panic("_sx_xlock_hard: recursed on non-recursive sx "
			    "%s", sx->lock_object.lo_name);
		sx->lock_object.lo_data++;
		return;
	}
	chain = sc_lookup(sx);
	giant = 0;
	for (;;) {
		fbsd_host_lock(chain);
		if (sx->sx_lock == SX_UNLOCKED) {
			sx->sx_lock = (uintptr_t)td;
			fbsd_host_unlock(chain);
			break;
		}
		if (giant == 0 && Giant.mtx_lock == (uintptr_t)td) {
			fbsd_host_unlock(chain);
			giant = giant_save(td);
			continue;
		}
		sc_sleep(td, chain, sx->lock_object.lo_name);
	}
	giant_restore(giant);
}

void
sx_xunlock(struct sx *sx)
{
	struct fbsd_host_lock *chain;

	sx_check(sx, "sx_xunlock");
	if (SX_OWNER(sx->sx_lock) != curthread)
		panic("Lock %s not exclusively locked by thread %d",
		    sx->lock_object.lo_name, curthread->td_tid);
	if (sx->lock_object.lo_data != 0) {
		sx->lock_object.lo_data--;
		return;
	}
	chain = sc_lookup(sx);
	fbsd_host_lock(chain);
	sx->sx_lock = SX_UNLOCKED;
	fbsd_host_wakeup(chain);
	fbsd_host_unlock(chain);
}

int
sx_try_slock(struct sx *sx)
{
	struct fbsd_host_lock *chain;
	int ok;

	sx_check(sx, "sx_try_slock");
	chain = sc_lookup(sx);
	fbsd_host_lock(chain);
	ok = (sx->sx_lock & SX_LOCK_SHARED) != 0;
	if (ok)
		sx->sx_lock += SX_ONE_SHARER;
	fbsd_host_unlock(chain);
	return (ok);
}

void
sx_slock(struct sx *sx)
{
	struct fbsd_host_lock *chain;
	struct thread *td = curthread;
	int giant;

	sx_check(sx, "sx_slock");
	sleepable("sx_slock", sx->lock_object.lo_name);
	if (SX_OWNER(sx->sx_lock) == td)
		panic("sx_slock: %s: already exclusively locked by this "
		    "thread", sx->lock_object.lo_name);
	chain = sc_lookup(sx);
	giant = 0;
	for (;;) {
		fbsd_host_lock(chain);
		if ((sx->sx_lock & SX_LOCK_SHARED) != 0) {
			sx->sx_lock += SX_ONE_SHARER;
			fbsd_host_unlock(chain);
			break;
		}
		if (giant == 0 && Giant.mtx_lock == (uintptr_t)td) {
			fbsd_host_unlock(chain);
			giant = giant_save(td);
			continue;
		}
		sc_sleep(td, chain, sx->lock_object.lo_name);
	}
	giant_restore(giant);
}

void
sx_sunlock(struct sx *sx)
{
	struct fbsd_host_lock *chain;

	sx_check(sx, "sx_sunlock");
	if (SX_SHARERS(sx->sx_lock) == 0)
		panic("Lock %s not share locked", sx->lock_object.lo_name);
	chain = sc_lookup(sx);
	fbsd_host_lock(chain);
	sx->sx_lock -= SX_ONE_SHARER;
	if (SX_SHARERS(sx->sx_lock) == 0)
		fbsd_host_wakeup(chain);
	fbsd_host_unlock(chain);
}

void
sx_unlock(struct sx *sx)
{
	if (SX_OWNER(sx->sx_lock) == curthread)
		sx_xunlock(sx);
	else
		sx_sunlock(sx);
}

void
sx_downgrade(struct sx *sx)
{
	struct fbsd_host_lock *chain;

	if (SX_OWNER(sx->sx_lock) != curthread)
		panic("sx_downgrade: %s not exclusively locked",
		    sx->lock_object.lo_name);
	chain = sc_lookup(sx);
	fbsd_host_lock(chain);
	sx->sx_lock = SX_UNLOCKED + SX_ONE_SHARER;
	fbsd_host_wakeup(chain);
	fbsd_host_unlock(chain);
}

int
sx_xlocked(struct sx *sx)
{
	return (SX_OWNER(sx->sx_lock) == curthread);
}

void
sx_assert(const struct sx *sx, int what)
{
	uintptr_t x = sx->sx_lock;
	const char *n = sx->lock_object.lo_name;
	int mine = SX_OWNER(x) == curthread;

	switch (what & ~(SA_RECURSED | SA_NOTRECURSED)) {
	case SA_LOCKED:
		if (!mine && SX_SHARERS(x) == 0)
			panic("Lock %s not locked", n);
		break;
	case SA_SLOCKED:
		if (SX_SHARERS(x) == 0)
			panic("Lock %s not share locked", n);
		break;
	case SA_XLOCKED:
		if (!mine)
			panic("Lock %s not exclusively locked", n);
		break;
	case SA_UNLOCKED:
		if (mine)
			panic("Lock %s exclusively locked", n);
		break;
	default:
		panic("sx_assert: unknown assertion %d on %s", what, n);
	}
	if ((what & SA_RECURSED) != 0 && sx->lock_object.lo_data == 0)
		panic("Lock %s not recursed", n);
	if ((what & SA_NOTRECURSED) != 0 && mine &&
	    sx->lock_object.lo_data != 0)
		panic("Lock %s recursed", n);
}

void
mtx_init(struct mtx *m, const char *name, const char *type, int opts)
{
	(void)type;
	if ((opts & MTX_SPIN) != 0)
		panic("mtx_init: %s: spin mutexes are not emulated", name);
	m->lock_object.lo_name = name;
	m->lock_object.lo_flags = LO_INITIALIZED |
	    ((opts & MTX_RECURSE) != 0 ? LO_RECURSABLE : 0);
	m->lock_object.lo_data = 0;
	m->mtx_lock = 0;
}

void
mtx_destroy(struct mtx *m)
{
	if (m->mtx_lock != 0)
		panic("mtx_destroy: %s is held", m->lock_object.lo_name);
	m->lock_object.lo_flags = 0;
}

int
mtx_trylock(struct mtx *m)
{
	struct fbsd_host_lock *chain;
	int ok;

	chain = sc_lookup(m);
	fbsd_host_lock(chain);
	ok = m->mtx_lock == 0;
	if (ok)
		m->mtx_lock = (uintptr_t)curthread;
	fbsd_host_unlock(chain);
	return (ok);
}

void
mtx_lock(struct mtx *m)
{
	struct fbsd_host_lock *chain;
	struct thread *td = curthread;

	if ((m->lock_object.lo_flags & LO_INITIALIZED) == 0)
		panic("mtx_lock: mutex %p is not initialised", m);
	sleepable("mtx_lock", m->lock_object.lo_name);
	if (m->mtx_lock == (uintptr_t)td) {
		if ((m->lock_object.lo_flags & LO_RECURSABLE) == 0)
			panic("_mtx_lock_sleep: recursed on non-recursive "
			    "mutex %s", m->lock_object.lo_name);
		m->lock_object.lo_data++;
		return;
	}
	chain = sc_lookup(m);
	for (;;) {
		fbsd_host_lock(chain);
		if (m->mtx_lock == 0) {
			m->mtx_lock = (uintptr_t)td;
			fbsd_host_unlock(chain);
			return;
		}
		sc_sleep(td, chain, m->lock_object.lo_name);
	}
}

void
mtx_unlock(struct mtx *m)
{
	struct fbsd_host_lock *chain;

	if (m->mtx_lock != (uintptr_t)curthread)
		panic("mtx_unlock: %s not owned by thread %d",
		    m->lock_object.lo_name, curthread->td_tid);
	if (m->lock_object.lo_data != 0) {
		m->lock_object.lo_data--;
		return;
	}
	chain = sc_lookup(m);
	fbsd_host_lock(chain);
	m->mtx_lock = 0;
	fbsd_host_wakeup(chain);
	fbsd_host_unlock(chain);
}

int
mtx_owned(struct mtx *m)
{
	return (m->mtx_lock == (uintptr_t)curthread);
}

void
mtx_assert(const struct mtx *m, int what)
{
	int mine = m->mtx_lock == (uintptr_t)curthread;

	switch (what & ~(MA_RECURSED | MA_NOTRECURSED)) {
	case MA_OWNED:
		if (!mine)
			panic("mutex %s not owned", m->lock_object.lo_name);
		break;
	case MA_NOTOWNED:
		if (mine)
			panic("mutex %s owned", m->lock_object.lo_name);
		break;
	default:
		panic("mtx_assert: unknown assertion %d", what);
	}
}
