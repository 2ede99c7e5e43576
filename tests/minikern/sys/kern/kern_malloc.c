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
 * Kernel memory allocator: power-of-two buckets carved from a static
 * arena.  Freed blocks go back to their bucket; nothing is returned to
 * the arena.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>

#define	KMEM_ARENA_SIZE	(4 * 1024 * 1024)
#define	KMEM_MINSHIFT	4
#define	KMEM_MAXSHIFT	16
#define	KMEM_NBUCKETS	(KMEM_MAXSHIFT - KMEM_MINSHIFT + 1)

struct kmem_hdr {
	union {
		struct kmem_hdr	*kh_next;	/* on a free list */
		struct malloc_type *kh_type;	/* allocated */
	};
	u_int			kh_bucket;
	u_int			kh_magic;
};
CTASSERT(sizeof(struct kmem_hdr) == 16);

#define	KMEM_MAGIC	0x6b6d656d

MALLOC_DEFINE(M_DEVBUF, "devbuf", "device driver memory");
MALLOC_DEFINE(M_TEMP, "temp", "misc temporary data buffers");

static char kmem_arena[KMEM_ARENA_SIZE] __aligned(PAGE_SIZE);
static size_t kmem_used;
static struct kmem_hdr *kmem_free[KMEM_NBUCKETS];
static struct mtx kmem_mtx;		/* zero: usable before SYSINITs */
static struct malloc_type *kmemstatistics;

void
malloc_init(void *data)
{
	struct malloc_type *mtp = data;

	if (mtp->ks_version != M_VERSION)
		panic("malloc_init: type %s with wrong version %lu",
		    mtp->ks_shortdesc, mtp->ks_version);
	mtx_lock(&kmem_mtx);
	mtp->ks_next = kmemstatistics;
	kmemstatistics = mtp;
	mtx_unlock(&kmem_mtx);
}

void
malloc_uninit(void *data)
{
	struct malloc_type *mtp = data, **mtpp;

	mtx_lock(&kmem_mtx);
	for (mtpp = &kmemstatistics; *mtpp != NULL; mtpp = &(*mtpp)->ks_next)
		if (*mtpp == mtp) {
			*mtpp = mtp->ks_next;
			break;
		}
	mtx_unlock(&kmem_mtx);
}

static u_int
kmem_bucket(size_t size)
{
	u_int b;

	size += sizeof(struct kmem_hdr);
	for (b = 0; ((size_t)1 << (b + KMEM_MINSHIFT)) < size; b++)
		;
	return (b);
}

void *
malloc(size_t size, struct malloc_type *mtp, int flags)
{
	struct kmem_hdr *kh;
	size_t bsize;
	u_int b;

	b = kmem_bucket(size);
	if (b >= KMEM_NBUCKETS)
		panic("malloc(%zu, %s): too large", size, mtp->ks_shortdesc);
	bsize = (size_t)1 << (b + KMEM_MINSHIFT);
	mtx_lock(&kmem_mtx);
	if ((kh = kmem_free[b]) != NULL)
		kmem_free[b] = kh->kh_next;
	else if (kmem_used + bsize <= sizeof(kmem_arena)) {
		kh = (struct kmem_hdr *)&kmem_arena[kmem_used];
		kmem_used += bsize;
	}
	mtx_unlock(&kmem_mtx);
	if (kh == NULL) {
		if ((flags & M_NOWAIT) != 0)
			return (NULL);
		panic("kmem_malloc(%zu): kmem arena exhausted", size);
	}
	kh->kh_type = mtp;
	kh->kh_bucket = b;
	kh->kh_magic = KMEM_MAGIC;
	if ((flags & M_ZERO) != 0)
		memset(kh + 1, 0, bsize - sizeof(*kh));
	return (kh + 1);
}

void
free(void *addr, struct malloc_type *mtp)
{
	struct kmem_hdr *kh;

	if (addr == NULL)
		return;
	kh = (struct kmem_hdr *)addr - 1;
	KASSERT(kh->kh_magic == KMEM_MAGIC && kh->kh_type == mtp,
	    ("free: %p of type %s: bad header", addr, mtp->ks_shortdesc));
	kh->kh_magic = 0;
	mtx_lock(&kmem_mtx);
	kh->kh_next = kmem_free[kh->kh_bucket];
	kmem_free[kh->kh_bucket] = kh;
	mtx_unlock(&kmem_mtx);
}
