/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>
#include <sys/counter.h>
#include <sys/malloc.h>

/*
 * counter(9): each counter is a pointer into the zpcpu area, and
 * counter_u64_add() is a single "addq %reg,%gs:(%ptr)".  The static
 * pointers are allocated by SYSINITs; an early one lives in
 * .data.read_mostly.
 */
static counter_u64_t foo_rx_packets;
static counter_u64_t foo_rx_bytes;
COUNTER_U64_DEFINE_EARLY(foo_rx_drops);

SYSCTL_COUNTER_U64(_net, OID_AUTO, foo_rx_packets, CTLFLAG_RD,
    &foo_rx_packets, "foo packets received");

static void
foo_counters_init(void *arg __unused)
{
	foo_rx_packets = counter_u64_alloc(M_WAITOK);
	foo_rx_bytes = counter_u64_alloc(M_WAITOK);
}
SYSINIT(foo_counters, SI_SUB_PROTO_DOMAIN, SI_ORDER_ANY, foo_counters_init,
    NULL);

int	foo_rx(int len);

int
foo_rx(int len)
{
	if (len < 14) {
		counter_u64_add(foo_rx_drops, 1);
		return (0);
	}
	counter_u64_add(foo_rx_packets, 1);
	counter_u64_add(foo_rx_bytes, len);
	return (1);
}
