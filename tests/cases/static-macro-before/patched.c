/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * A once-flag macro declares its own "static int warned".  The fix uses the
 * macro again in the same function, before the existing use.  Clang gives
 * the plain name foo_ioctl.warned to the first in source order (now the new
 * one) and foo_ioctl.warned.1 to the kernel's; the names must not decide.
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
		FOO_WARN_ONCE("foo: negative unit\n");
	if (cmd == 7)
		FOO_WARN_ONCE("foo: ioctl 7 is deprecated\n");
	return (unit >= 0 ? 0 : -1);
}
