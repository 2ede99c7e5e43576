/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>
#include <sys/kernel.h>

static int	rsf_slots;

static void
rsf_init(void *arg __unused)
{
	rsf_slots = 16;
}
SYSINIT(rsf, SI_SUB_DRIVERS, SI_ORDER_ANY, rsf_init, NULL);

int	rsf_count(void);

int
rsf_count(void)
{
	return (rsf_slots);
}
