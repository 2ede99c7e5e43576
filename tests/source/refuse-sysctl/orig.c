/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>

static int	rsc_debug;
SYSCTL_INT(_debug, OID_AUTO, rsc_debug, CTLFLAG_RW, &rsc_debug, 0, "debug level");

int	rsc_level(void);

int
rsc_level(void)
{
	return (rsc_debug);
}
