/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * A once-flag macro declares its own "static int warned".  The fix uses the
 * macro again in the same function, after the existing use.  GCC numbers
 * the flags from the end of the file: the kernel's warned.0 becomes
 * warned.1 and the new one takes warned.0; the names must not decide.
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
	if (cmd == 7)
		FOO_WARN_ONCE("foo: ioctl 7 is deprecated\n");
	return (unit >= 0 ? 0 : -1);
}
