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
 * Fixed-size packet rings.  Full rings drop; drops are counted per vnet.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mutex.h>
#include <net/vnet.h>
#include <net/pkt.h>
#include <net/if_ring.h>

static MALLOC_DEFINE(M_IFRING, "ifring", "interface packet rings");

VNET_DEFINE_STATIC(u_long, ifr_ndrops);
#define	V_ifr_ndrops	VNET(ifr_ndrops)

#define	IFR_SLOT(r, i)							\
	((struct ifring_slot *)((r)->r_slots + ((i) & ((r)->r_size - 1)) * \
	    (r)->r_slotsize))

struct ifring *
ifr_alloc(u_int size)
{
	struct ifring *r;

	KASSERT(powerof2(size), ("%s: size %u not a power of 2", __func__,
	    size));
	r = malloc(sizeof(*r), M_IFRING, M_WAITOK | M_ZERO);
	mtx_init(&r->r_mtx, "ifring", NULL, MTX_DEF);
	r->r_size = size;
	r->r_slotsize = roundup2(sizeof(struct ifring_slot) + PKT_MAXLEN, 8);
	r->r_slots = malloc(size * r->r_slotsize, M_IFRING, M_WAITOK);
	return (r);
}

void
ifr_free(struct ifring *r)
{
	mtx_destroy(&r->r_mtx);
	free(r->r_slots, M_IFRING);
	free(r, M_IFRING);
}

int
ifr_enqueue(struct ifring *r, const void *buf, size_t len)
{
	struct ifring_slot *slot;

	if (!pkt_len_ok(len))
		return (EINVAL);
	mtx_lock(&r->r_mtx);
	if (r->r_head - r->r_tail == r->r_size) {
		mtx_unlock(&r->r_mtx);
		V_ifr_ndrops++;
		return (ENOBUFS);
	}
	slot = IFR_SLOT(r, r->r_head);
	slot->rs_len = len;
	memcpy(slot->rs_data, buf, len);
	r->r_head++;
	mtx_unlock(&r->r_mtx);
	return (0);
}

int
ifr_dequeue(struct ifring *r, void *buf, size_t len, size_t *lenp)
{
	struct ifring_slot *slot;

	mtx_lock(&r->r_mtx);
	if (r->r_head == r->r_tail) {
		mtx_unlock(&r->r_mtx);
		return (EAGAIN);
	}
	slot = IFR_SLOT(r, r->r_tail);
	if (slot->rs_len > len) {
		mtx_unlock(&r->r_mtx);
		return (EMSGSIZE);
	}
	memcpy(buf, slot->rs_data, slot->rs_len);
	*lenp = slot->rs_len;
	r->r_tail++;
	mtx_unlock(&r->r_mtx);
	return (0);
}

u_int
ifr_count(struct ifring *r)
{
	u_int n;

	mtx_lock(&r->r_mtx);
	n = r->r_head - r->r_tail;
	mtx_unlock(&r->r_mtx);
	return (n);
}

u_long
ifr_drops(void)
{
	return (V_ifr_ndrops);
}
