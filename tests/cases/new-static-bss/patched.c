/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>

/*
 * An event handler that logs.
 */
int	foo_log_event(int unit, int ev);

/* New in the fix: rate-limit the message. */
static int foo_last_log;

int
foo_log_event(int unit, int ev)
{
	if (ev == 0)
		return (0);
	if (ticks - foo_last_log < hz)
		return (0);
	foo_last_log = ticks;
	printf("foo%d: event %d\n", unit, ev);
	return (1);
}
