/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * A request descriptor that this file declares but no code of the
 * original uses.  The fix grows it and uses it only from a new function,
 * so no running code holds one with the old layout.  With
 * -fno-eliminate-unused-debug-types the original's DWARF still describes
 * it, so the layout check sees the change and has to decide by who uses
 * the type.
 */
struct foo_req {
	int		fr_op;
	int		fr_len;
};

int	foo_ioctl(int cmd, int arg);

int
foo_ioctl(int cmd, int arg)
{
	if (cmd != 1)
		return (ENOTTY);
	printf("foo: op %d\n", arg);
	return (0);
}
