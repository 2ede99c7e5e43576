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
 * A minimal stateless packet filter, one rule table per vnet.
 */
#ifndef _NET_NETFLT_H_
#define	_NET_NETFLT_H_

#include <sys/types.h>

#define	NF_MAXRULES	16

#define	NF_PASS		0
#define	NF_DROP		1

struct nf_rule {
	uint8_t		nr_proto;
	uint8_t		nr_action;
	uint16_t	nr_lport;	/* inclusive port range */
	uint16_t	nr_hport;
	u_long		nr_hits;
};

struct nf_stats {
	uint64_t	nfs_passed;
	uint64_t	nfs_dropped;
	uint64_t	nfs_malformed;
};

int	nf_check(const void *buf, size_t len);
int	nf_add_rule(int proto, int lport, int hport, int action);
void	nf_stats_get(struct nf_stats *st);

#endif /* !_NET_NETFLT_H_ */
