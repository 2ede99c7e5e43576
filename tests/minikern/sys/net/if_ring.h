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
 * Packet rings between a driver's receive path and its consumers.
 */
#ifndef _NET_IF_RING_H_
#define	_NET_IF_RING_H_

#include <sys/types.h>
#include <sys/mutex.h>

struct ifring_slot {
	uint16_t	rs_len;
	uint8_t		rs_data[];
};

struct ifring {
	struct mtx	r_mtx;
	u_int		r_size;		/* slots, a power of two */
	u_int		r_slotsize;
	u_int		r_head;		/* next slot to fill */
	u_int		r_tail;		/* next slot to drain */
	char		*r_slots;
};

struct ifring	*ifr_alloc(u_int size);
void	ifr_free(struct ifring *r);
int	ifr_enqueue(struct ifring *r, const void *buf, size_t len);
int	ifr_dequeue(struct ifring *r, void *buf, size_t len, size_t *lenp);
u_int	ifr_count(struct ifring *r);
u_long	ifr_drops(void);

#endif /* !_NET_IF_RING_H_ */
