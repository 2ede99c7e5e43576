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
 * The packet format of the fake network: a fixed 8-byte header and at
 * most PKT_MAXLEN bytes in all.  Inline checks shared by the drivers, the
 * filter and the rings.
 */
#ifndef _NET_PKT_H_
#define	_NET_PKT_H_

#include <sys/types.h>

#define	PKT_HDRLEN	8
#define	PKT_MAXLEN	256

/* Protocol numbers, dense so that dispatch can use a table. */
#define	PKT_PROTO_RAW	0
#define	PKT_PROTO_ICMP	1
#define	PKT_PROTO_TCP	2
#define	PKT_PROTO_UDP	3
#define	PKT_PROTO_SCTP	4
#define	PKT_PROTO_GRE	5
#define	PKT_PROTO_ESP	6
#define	PKT_PROTO_OSPF	7
#define	PKT_PROTO_MAX	8

struct pkt_hdr {
	uint8_t		ph_proto;
	uint8_t		ph_flags;
	uint16_t	ph_len;		/* whole packet, header included */
	uint16_t	ph_dport;	/* ICMP: type and code */
	uint16_t	ph_sum;		/* ones' complement, 0: none */
} __packed;

static __inline bool
pkt_len_ok(size_t len)
{
	return (len >= PKT_HDRLEN && len < PKT_MAXLEN);
}

/* The header of a received buffer, or NULL when it is malformed. */
static __inline const struct pkt_hdr *
pkt_header(const void *buf, size_t len)
{
	const struct pkt_hdr *ph = buf;

	if (!pkt_len_ok(len) || ph->ph_len != len)
		return (NULL);
	if (ph->ph_proto >= PKT_PROTO_MAX)
		return (NULL);
	return (ph);
}

uint16_t	in_cksum(const void *buf, size_t len);

#endif /* !_NET_PKT_H_ */
