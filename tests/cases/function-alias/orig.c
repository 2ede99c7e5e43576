/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * Aliases (as __strong_reference makes): foo_read_compat is foo_read, and
 * the global foo_read_int2 is the static foo_read_int.  Each function is
 * one function record, whatever its names; calls through an alias are
 * calls to the function.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	foo_read(int unit);
int	foo_read_compat(int unit);
static int foo_read_int(int unit);

int
foo_read(int unit)
{
	printf("foo%d: read\n", unit);
	return (0);
}
extern __typeof(foo_read) foo_read_compat __attribute__((__alias__("foo_read")));

static int
foo_read_int(int unit)
{
	printf("foo%d: internal read\n", unit);
	return (1);
}
extern __typeof(foo_read_int) foo_read_int2 __attribute__((__alias__("foo_read_int")));

int	foo_use(int unit);
int
foo_use(int unit)
{
	return (foo_read_compat(unit) + foo_read_int2(unit));
}
