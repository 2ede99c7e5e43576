/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>
#include <sys/kernel.h>

static int	rsi_ready;

static void
rsi_init(void *arg __unused)
{
	rsi_ready = 1;
}
SYSINIT(rsi, SI_SUB_DRIVERS, SI_ORDER_ANY, rsi_init, NULL);

int	rsi_is_ready(void);

int
rsi_is_ready(void)
{
	return (rsi_ready);
}
