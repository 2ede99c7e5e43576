/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

struct rs_stats {
	unsigned long	rx;
	unsigned long	tx;
};

struct rs_stats rs_totals;

void	rs_count(int dir);

void
rs_count(int dir)
{
	if (dir)
		rs_totals.tx++;
	else
		rs_totals.rx++;
}
