/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/pcpu.h>

/*
 * Dynamic per-CPU counters.  DPCPU_DEFINE places the template in the
 * section set_pcpu as pcpu_entry_<name>; code adds the CPU's
 * pc_dynamic offset read through %gs.  A patch must address the
 * kernel's variables (the static one through a livepatch relocation,
 * the global one through the kernel linker), never a module copy.
 */
struct foo_pcpu_stats {
	u_long	fps_calls;
	u_long	fps_errors;
};

DPCPU_DEFINE_STATIC(struct foo_pcpu_stats, foo_stats);
DPCPU_DEFINE(int, foo_inflight);

void	foo_account(int error);
u_long	foo_total_calls(void);

void
foo_account(int error)
{
	struct foo_pcpu_stats *s;

	critical_enter();
	s = DPCPU_PTR(foo_stats);
	s->fps_calls++;
	if (error != 0)
		s->fps_errors++;
	DPCPU_SET(foo_inflight, DPCPU_GET(foo_inflight) - 1);
	critical_exit();
}

u_long
foo_total_calls(void)
{
	u_long total = 0;
	int i;

	CPU_FOREACH(i)
		total += DPCPU_ID_PTR(i, foo_stats)->fps_calls;
	return (total);
}
