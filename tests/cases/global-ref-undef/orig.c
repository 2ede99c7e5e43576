/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * The changed function reads an unchanged global variable and calls an
 * unchanged global function, both defined in this same file.  They stay
 * undefined in the patch (the kernel linker binds them to the kernel's
 * definitions); they are not copied.
 */
int foo_debug_level = 1;
u_int foo_max_retries = 5;

int	foo_hw_ready(int unit);
int	foo_wait_ready(int unit);

__noinline int
foo_hw_ready(int unit)
{
	return ((unit & 1) == 0);
}

int
foo_wait_ready(int unit)
{
	u_int tries;

	for (tries = 0; tries < foo_max_retries; tries++) {
		if (foo_hw_ready(unit))
			return (0);
		DELAY(100);
	}
	if (foo_debug_level > 0)
		printf("foo%d: not ready\n", unit);
	return (ETIMEDOUT);
}
