/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

int	tc_limit(int x);

int
tc_limit(int x)
{
	if (x > 100)
		return (-1);
	return (x);
}
