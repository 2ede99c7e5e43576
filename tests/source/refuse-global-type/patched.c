/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

long	rt_events;

void	rt_note(void);

void
rt_note(void)
{
	rt_events++;
}
