/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

int	it_rx(int len, int flags);

static inline int
it_len_ok(int len)
{
	return (len <= 256);
}

static inline int
it_accept(int len, int flags)
{
	return ((flags & 1) != 0 && it_len_ok(len));
}

int
it_rx(int len, int flags)
{
	if (!it_accept(len, flags))
		return (-1);
	return (len);
}
