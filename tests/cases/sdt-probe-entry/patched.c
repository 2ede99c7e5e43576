/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#define	SDT_TRACEPOINTS		/* FreeBSD 15: hot-patched probe sites */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/sdt.h>

/*
 * A probe as the first statement of a function with nothing to save: its
 * 5-byte nop follows "push %rbp; mov %rsp,%rbp" directly and overlaps the
 * bytes the live patch would turn into its jump - bytes DTrace rewrites
 * whenever the probe is enabled.
 */
SDT_PROVIDER_DEFINE(foo);
SDT_PROBE_DEFINE0(foo, , tick, fire);

u_int	foo_nticks;
int	foo_tick(void);

int
foo_tick(void)
{
	SDT_PROBE0(foo, , tick, fire);
	return ((++foo_nticks & 127) == 0);
}
