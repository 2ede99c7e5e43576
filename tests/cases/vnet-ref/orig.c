/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>
#include <net/vnet.h>

/*
 * Virtualised network-stack globals (VIMAGE): VNET_DEFINE places the
 * template in set_vnet as vnet_entry_<name>; each vnet reads its copy
 * at curvnet->vnet_data_base + &vnet_entry_<name>.
 */
VNET_DEFINE_STATIC(int, foo_ttl) = 64;
#define	V_foo_ttl	VNET(foo_ttl)
VNET_DEFINE_STATIC(u_long, foo_sent);
#define	V_foo_sent	VNET(foo_sent)

SYSCTL_INT(_net, OID_AUTO, foo_ttl, CTLFLAG_VNET | CTLFLAG_RW,
    &VNET_NAME(foo_ttl), 0, "default TTL of foo packets");

int	foo_output_ttl(int requested);

int
foo_output_ttl(int requested)
{
	V_foo_sent++;
	if (requested <= 0)
		return (V_foo_ttl);
	return (requested);
}
