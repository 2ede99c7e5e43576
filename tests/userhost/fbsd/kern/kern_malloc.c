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
 * malloc(9).  Every allocation carries a header naming its type, so that
 * the personality can check what FreeBSD checks (a type registered by
 * malloc_init, exactly one of M_WAITOK and M_NOWAIT, no sleeping
 * allocation where sleeping is forbidden) and what INVARIANTS kernels
 * catch later (free with the wrong type).  Memory without M_ZERO is
 * filled with junk, as INVARIANTS' trash_ctor does.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/proc.h>

#include "fbsd_kern.h"

#define	MALLOC_HDR_MAGIC	0x6d616c6cUL
#define	MALLOC_JUNK		0xdeadc0de

struct malloc_hdr {
	struct malloc_type	*mh_type;
	size_t			mh_size;
	u_long			mh_magic;
	u_long			mh_pad;
};

MALLOC_DEFINE(M_TEMP, "temp", "misc temporary data buffers");
MALLOC_DEFINE(M_DEVBUF, "devbuf", "device driver memory");

static struct fbsd_host_lock *malloc_lock;
static struct malloc_type *kmemstatistics;

static void
malloc_lock_init(void)
{
	if (malloc_lock == NULL)
		malloc_lock = fbsd_host_lock_new();
}

void
malloc_init(void *data)
{
	struct malloc_type *mtp = data;

	if (mtp->ks_version != M_MAGIC)
		panic("malloc_init: type %s has version %lu, not %u",
		    mtp->ks_shortdesc, mtp->ks_version, M_MAGIC);
	malloc_lock_init();
	fbsd_host_lock(malloc_lock);
	mtp->ks_next = kmemstatistics;
	kmemstatistics = mtp;
	mtp->ks_calls = 0;
	fbsd_host_unlock(malloc_lock);
}

void
malloc_uninit(void *data)
{
	struct malloc_type *mtp = data, **pp;

	malloc_lock_init();
	fbsd_host_lock(malloc_lock);
	for (pp = &kmemstatistics; *pp != NULL; pp = &(*pp)->ks_next)
		if (*pp == mtp) {
			*pp = mtp->ks_next;
			break;
		}
	fbsd_host_unlock(malloc_lock);
	if (mtp->ks_inuse != 0)
		printf("Warning: memory type %s leaked memory on destroy "
		    "(%lu allocations, %lu bytes leaked).\n",
		    mtp->ks_shortdesc, mtp->ks_inuse, mtp->ks_memuse);
	mtp->ks_version = 0;
}

static int
malloc_type_registered(struct malloc_type *mtp)
{
	struct malloc_type *t;
	int found;

	found = 0;
	fbsd_host_lock(malloc_lock);
	for (t = kmemstatistics; t != NULL; t = t->ks_next)
		if (t == mtp) {
			found = 1;
			break;
		}
	fbsd_host_unlock(malloc_lock);
	return (found);
}

void *
malloc(size_t size, struct malloc_type *mtp, int flags)
{
	struct malloc_hdr *h;
	struct thread *td;
	int how;
	size_t i;

	malloc_lock_init();
	how = flags & (M_WAITOK | M_NOWAIT);
	if (how != M_WAITOK && how != M_NOWAIT)
		panic("malloc(%s): bad flags %#x: exactly one of M_WAITOK "
		    "and M_NOWAIT", mtp->ks_shortdesc, flags);
	if (!malloc_type_registered(mtp))
		panic("malloc: type %p (%s) is not initialised (no "
		    "malloc_init SYSINIT ran)", mtp, mtp->ks_version ==
		    M_MAGIC ? mtp->ks_shortdesc : "?");
	td = curthread;
	if (how == M_WAITOK && td != NULL &&
	    (td->td_critnest != 0 || !fbsd_intr_enabled()))
		panic("malloc(M_WAITOK) of %zu bytes (%s) with interrupts "
		    "disabled or in a critical section", size,
		    mtp->ks_shortdesc);
	if (size > ((size_t)1 << 40))
		panic("malloc: %zu bytes", size);
	h = fbsd_host_alloc(sizeof(*h) + size);
	if (h == NULL) {
		if (how == M_NOWAIT)
			return (NULL);
		panic("malloc(M_WAITOK): host out of memory");
	}
	h->mh_type = mtp;
	h->mh_size = size;
	h->mh_magic = MALLOC_HDR_MAGIC;
	if ((flags & M_ZERO) == 0)
		for (i = 0; i + 4 <= size; i += 4)
			*(uint32_t *)((char *)(h + 1) + i) = MALLOC_JUNK;
	fbsd_host_lock(malloc_lock);
	mtp->ks_inuse++;
	mtp->ks_memuse += size;
	mtp->ks_calls++;
	fbsd_host_unlock(malloc_lock);
	return (h + 1);
}

void
free(void *addr, struct malloc_type *mtp)
{
	struct malloc_hdr *h;

	if (addr == NULL)
		return;
	h = (struct malloc_hdr *)addr - 1;
	if (h->mh_magic != MALLOC_HDR_MAGIC)
		panic("free: %p was not allocated by malloc(9)", addr);
	if (h->mh_type != mtp)
		panic("free: %p of type %s freed as %s", addr,
		    h->mh_type->ks_shortdesc, mtp->ks_shortdesc);
	fbsd_host_lock(malloc_lock);
	mtp->ks_inuse--;
	mtp->ks_memuse -= h->mh_size;
	fbsd_host_unlock(malloc_lock);
	h->mh_magic = 0;
	fbsd_host_free(h);
}

void *
realloc(void *addr, size_t size, struct malloc_type *mtp, int flags)
{
	struct malloc_hdr *h;
	void *n;

	if (addr == NULL)
		return (malloc(size, mtp, flags));
	h = (struct malloc_hdr *)addr - 1;
	n = malloc(size, mtp, flags);
	if (n == NULL)
		return (NULL);
	memcpy(n, addr, h->mh_size < size ? h->mh_size : size);
	free(addr, mtp);
	return (n);
}

long fbsd_malloc_inuse(const char *shortdesc);
long
fbsd_malloc_inuse(const char *shortdesc)
{
	struct malloc_type *t;
	long n;

	n = -1;
	malloc_lock_init();
	fbsd_host_lock(malloc_lock);
	for (t = kmemstatistics; t != NULL; t = t->ks_next)
		if (strcmp(t->ks_shortdesc, shortdesc) == 0) {
			n = (long)t->ks_memuse;
			break;
		}
	fbsd_host_unlock(malloc_lock);
	return (n);
}
