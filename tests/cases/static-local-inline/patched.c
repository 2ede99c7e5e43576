/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * A warn-once helper with a function-local static, inlined into every
 * caller.  All inlined copies share the one static object.
 */
static __inline void
foo_warn_deprecated(const char *what)
{
	static int warned;

	if (!warned) {
		warned = 1;
		printf("foo: %s is deprecated\n", what);
	}
}

int	foo_ioctl_old(int cmd);
int	foo_ioctl_compat(int cmd);
int	foo_set_legacy(int val);
int	foo_ioctl_older(int cmd);

int
foo_ioctl_old(int cmd)
{
	foo_warn_deprecated("FOOIOC_OLD");
	return (cmd == 1 || cmd == 3 ? 0 : EINVAL);
}

/* New in the fix: one more deprecated entry point. */
int
foo_ioctl_older(int cmd)
{
	foo_warn_deprecated("FOOIOC_OLDER");
	return (foo_ioctl_old(cmd));
}

int
foo_ioctl_compat(int cmd)
{
	foo_warn_deprecated("FOOIOC_COMPAT");
	return (cmd == 2 ? 0 : EOPNOTSUPP);
}

int
foo_set_legacy(int val)
{
	foo_warn_deprecated("legacy mode");
	return (val != 0);
}
