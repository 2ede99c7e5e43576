/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * A trace record that stores the address of the code that produced it
 * (like Linux's _THIS_IP_): the address of a local label, which is a
 * relocation against the function's own section.
 */
#define	FOO_THIS_IP	({ __label__ __here; __here: (uintptr_t)&&__here; })

struct foo_trace {
	uintptr_t	ft_ip;
	int		ft_event;
	int		ft_arg;
};

extern struct foo_trace foo_trace_ring[256];
extern u_int foo_trace_idx;

void	foo_trace_event(int event, int arg);

void
foo_trace_event(int event, int arg)
{
	struct foo_trace *ft;

	if (event < 0)
		return;
	ft = &foo_trace_ring[foo_trace_idx++ % 256];
	ft->ft_ip = FOO_THIS_IP;
	ft->ft_event = event;
	ft->ft_arg = arg;
}
