/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * A KUBSAN kernel (-fsanitize=undefined): every check has compiler-made
 * source-location data with no stable name (clang .L__unnamed_N, GCC
 * .Lubsan_data N).  The fix adds a check to foo_div, which renumbers
 * foo_shift's data; foo_shift is unchanged.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	foo_div(int a, int b);
int	foo_shift(int a, int b);

int
foo_div(int a, int b)
{
	return (a / b);
}

int
foo_shift(int a, int b)
{
	return (a << b);
}
