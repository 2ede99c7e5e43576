/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * A once-flag macro declares its own "static int warned".  The fix uses it
 * in a function before foo_ioctl, in one after it, and in a new inline
 * helper that foo_ioctl inlines before its own use: GCC renumbers all of
 * them, and foo_ioctl refers to two.
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

int	foo_attach(int unit);
int	foo_ioctl(int unit, u_long cmd);
int	foo_detach(int unit);

static __inline int
foo_check_unit(int unit)
{
	if (unit < 0) {
		FOO_WARN_ONCE("foo: negative unit\n");
		return (-1);
	}
	return (0);
}

int
foo_attach(int unit)
{
	if (unit > 4)
		FOO_WARN_ONCE("foo: attach: unit too large\n");
	return (unit > 4 ? -1 : 0);
}

int
foo_ioctl(int unit, u_long cmd)
{
	if (foo_check_unit(unit) != 0)
		return (-1);
	if (cmd == 7)
		FOO_WARN_ONCE("foo: ioctl 7 is deprecated\n");
	return (unit >= 0 ? 0 : -1);
}

int
foo_detach(int unit)
{
	if (unit > 4)
		FOO_WARN_ONCE("foo: detach: unit too large\n");
	return (unit > 4 ? -1 : 0);
}
