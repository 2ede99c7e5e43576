/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * A kernel configured without DDB, KDTRACE_FRAME and HWPMC_HOOKS gets no
 * frame-pointer flags (sys/conf/Makefile.amd64), so a trivial predicate
 * compiles to "xor %eax,%eax; ret": 3 bytes, too small for the 5-byte
 * jump.  The fix changes it; its callers are where a patch can go.
 */
int	foo_is_enabled(void);
int	foo_poll(int);

__noinline int
foo_is_enabled(void)
{
	return (1);
}

int
foo_poll(int n)
{
	if (!foo_is_enabled())
		return (n);
	return (n + 1);
}
