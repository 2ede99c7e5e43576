/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

int	ia_check(int len);

static int
ia_len_ok(int len)
{
	return (len > 0 && len < 1500);
}

int
ia_check(int len)
{
	if (!ia_len_ok(len))
		return (22);
	return (0);
}
