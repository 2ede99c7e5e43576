/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * A function named "startup": -ffunction-sections puts it in .text.startup,
 * the name GCC also gives start-up-only code.  It is ordinary code.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	startup(int v);

int
startup(int v)
{
	printf("foo: startup: %d\n", v);
	return (v);
}
