/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>
#include <sys/errno.h>

/*
 * Tunables that are read on every call but almost never written live in
 * .data.read_mostly, several objects sharing one section.
 */
static int foo_debug __read_mostly = 0;
static u_int foo_maxunits __read_mostly = 16;
static u_int foo_nunits;

SYSCTL_INT(_debug, OID_AUTO, foo_debug, CTLFLAG_RW, &foo_debug, 0,
    "foo debug level");
SYSCTL_UINT(_kern, OID_AUTO, foo_maxunits, CTLFLAG_RDTUN, &foo_maxunits, 0,
    "maximum number of foo units");

int	foo_attach_unit(int unit);

int
foo_attach_unit(int unit)
{
	if (unit < 0 || (u_int)unit >= foo_maxunits) {
		if (foo_debug)
			printf("foo%d: unit out of range (max %u)\n", unit,
			    foo_maxunits);
		return (ENXIO);
	}
	foo_nunits++;
	return (0);
}
