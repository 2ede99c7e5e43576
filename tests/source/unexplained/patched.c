/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

int	ux_fixed(int x);
int	ux_bystander(int x);

int
ux_fixed(int x)
{
	return (x > 10 ? 0 : x);
}

int
ux_bystander(int x)
{
#ifdef UX_EXTRA
	if (x < 0)
		return (0);
#endif
	return (x * 3);
}
