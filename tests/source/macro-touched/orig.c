/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

#define	MT_MAXQ	64

int	mt_room(int used);
int	mt_other(int x);

int
mt_room(int used)
{
	return (used < MT_MAXQ);
}

int
mt_other(int x)
{
	return (x + 1);
}
