/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * A function-local static with an initial value (GCC: maxburst.0,
 * clang: foo_burst_ok.maxburst), adjustable at run time through
 * foo_set_maxburst().
 */
static int *foo_maxburst_ptr;

int	foo_burst_ok(int n);
void	foo_set_maxburst(int v);

int
foo_burst_ok(int n)
{
	static int maxburst = 32;

	foo_maxburst_ptr = &maxburst;
	return (n <= maxburst);
}

void
foo_set_maxburst(int v)
{
	if (foo_maxburst_ptr != NULL)
		*foo_maxburst_ptr = v;
}
