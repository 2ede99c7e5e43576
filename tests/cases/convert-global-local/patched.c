/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * A global function is changed; an unchanged function of the same file
 * calls it.  In the patch the new copy is a private (LOCAL) definition
 * so that it cannot clash with the kernel's global of the same name;
 * the unchanged caller is not part of the patch at all.
 */
int	foo_validate(int unit, int flags);
int	foo_configure(int unit, int flags);

__noinline int
foo_validate(int unit, int flags)
{
	if (unit < 0 || unit > 15)
		return (ENXIO);
	if ((flags & ~0x7f) != 0)
		return (EINVAL);
	return (0);
}

int
foo_configure(int unit, int flags)
{
	int error;

	error = foo_validate(unit, flags);
	if (error != 0)
		printf("foo%d: bad configuration %#x\n", unit, flags);
	return (error);
}
