/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * The fix uses a once-flag macro a second time in the same function with
 * the same message: nothing tells the two "static int warned" apart.
 */
#include <sys/param.h>
#include <sys/systm.h>

#define	FOO_WARN_ONCE(msg) do {					\
	static int warned;						\
	if (!warned) {							\
		warned = 1;						\
		printf(msg);						\
	}								\
} while (0)

int	foo_ioctl(int unit, u_long cmd);

int
foo_ioctl(int unit, u_long cmd)
{
	if (unit < 0)
		FOO_WARN_ONCE("foo: ioctl 7 is deprecated\n");
	if (cmd == 7)
		FOO_WARN_ONCE("foo: ioctl 7 is deprecated\n");
	return (unit >= 0 ? 0 : -1);
}
