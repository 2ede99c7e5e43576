/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/errno.h>

/*
 * A tiny rate limiter for a console message, as found in many drivers.
 */
struct foo_rl {
	int	rl_last;
	int	rl_count;
};

static struct foo_rl foo_rl;

int	foo_ratecheck(int maxpps);
void	foo_complain(struct proc *p, int error);

int
foo_ratecheck(int maxpps)
{
	int now = ticks;

	if (now - foo_rl.rl_last >= hz) {
		foo_rl.rl_last = now;
		foo_rl.rl_count = 0;
	}
	return (++foo_rl.rl_count <= maxpps);
}

void
foo_complain(struct proc *p, int error)
{
	if (foo_ratecheck(5))
		printf("pid %d (%s): foo error %d\n", p->p_pid, p->p_comm,
		    error);
}
