/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * A weak default implementation that platform code may override, and
 * its caller in the same file (which cannot inline it).
 */
int	foo_platform_quirks(int devid);
int	foo_probe(int devid);

__weak_symbol int
foo_platform_quirks(int devid)
{
	return (devid == 0x1234 || devid == 0x1235 ? 1 : 0);
}

int
foo_probe(int devid)
{
	int q;

	q = foo_platform_quirks(devid);
	if (q != 0)
		printf("foo: device %#x needs quirks %#x\n", devid, q);
	return (0);
}
