/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Several functions own a static local of the same name.  GCC numbers
 * them with one file-wide counter ("ncalls.0", "ncalls.1", ...), counting
 * from the end of the file, so adding a static local renames the ones
 * defined before it.  They must be matched by their owner, not by name.
 */
int	foo_open(int unit);
int	foo_close(int unit);
int	foo_read(int unit);
int
foo_open(int unit)
{
	static u_long ncalls;

	ncalls++;
	return (unit >= 0 ? 0 : -1);
}

int
foo_close(int unit)
{
	static u_long ncalls;

	ncalls++;
	return (unit >= 0 ? 0 : -1);
}

int
foo_read(int unit)
{
	static u_long ncalls;

	if (++ncalls % 1000 == 0)
		printf("foo%d: %lu reads\n", unit, ncalls);
	return (0);
}
