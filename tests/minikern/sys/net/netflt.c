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
 * netflt: first-match packet filter.  The rule table, the default action
 * and the statistics are per vnet.
 */

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/ratelog.h>
#include <sys/sysctl.h>
#include <net/vnet.h>
#include <net/pkt.h>
#include <net/netflt.h>

VNET_DEFINE_STATIC(struct nf_rule, nf_rules[NF_MAXRULES]);
VNET_DEFINE_STATIC(int, nf_nrules);
VNET_DEFINE_STATIC(struct nf_stats, nf_stats);
VNET_DEFINE(int, nf_default_action) = NF_PASS;
#define	V_nf_rules		VNET(nf_rules)
#define	V_nf_nrules		VNET(nf_nrules)
#define	V_nf_stats		VNET(nf_stats)
#define	V_nf_default_action	VNET(nf_default_action)

static struct ratelog nf_malformed_rl = RATELOG_INITIALIZER;

static SYSCTL_NODE(_net, OID_AUTO, netflt, CTLFLAG_RW, 0, "Packet filter");
SYSCTL_INT(_net_netflt, OID_AUTO, default_action, CTLFLAG_RW | CTLFLAG_VNET,
    &VNET_NAME(nf_default_action), 0, "Action when no rule matches");

int
nf_add_rule(int proto, int lport, int hport, int action)
{
	struct nf_rule *r;

	if (proto < 0 || proto >= PKT_PROTO_MAX || lport > hport)
		return (EINVAL);
	if (action != NF_PASS && action != NF_DROP)
		return (EINVAL);
	if (V_nf_nrules == NF_MAXRULES)
		return (ENOSPC);
	r = &V_nf_rules[V_nf_nrules];
	r->nr_proto = proto;
	r->nr_action = action;
	r->nr_lport = lport;
	r->nr_hport = hport;
	r->nr_hits = 0;
	V_nf_nrules++;
	return (0);
}

int
nf_check(const void *buf, size_t len)
{
	const struct pkt_hdr *ph;
	struct nf_rule *r;
	int i, action;

	ph = pkt_header(buf, len);
	if (ph == NULL) {
		V_nf_stats.nfs_malformed++;
		ratelog_printf(&nf_malformed_rl, 5,
		    "netflt: malformed packet of %zu bytes dropped\n", len);
		return (NF_DROP);
	}
	action = V_nf_default_action;
	for (i = 0; i < V_nf_nrules; i++) {
		r = &V_nf_rules[i];
		if (r->nr_proto != ph->ph_proto)
			continue;
		if (ph->ph_dport < r->nr_lport || ph->ph_dport > r->nr_hport)
			continue;
		r->nr_hits++;
		action = r->nr_action;
		break;
	}
	if (action == NF_DROP)
		V_nf_stats.nfs_dropped++;
	else
		V_nf_stats.nfs_passed++;
	return (action);
}

void
nf_stats_get(struct nf_stats *st)
{
	*st = V_nf_stats;
}

/* The default rule set of a new vnet. */
static void
nf_vnet_init(const void *unused __unused)
{
	nf_add_rule(PKT_PROTO_ICMP, 0, 0, NF_DROP);
	nf_add_rule(PKT_PROTO_TCP, 1, 1023, NF_PASS);
	nf_add_rule(PKT_PROTO_TCP, 6000, 6063, NF_DROP);
	nf_add_rule(PKT_PROTO_ESP, 0, 65535, NF_DROP);
}
VNET_SYSINIT(nf_vnet_init, SI_SUB_PROTO_DOMAIN, SI_ORDER_ANY, nf_vnet_init,
    NULL);
