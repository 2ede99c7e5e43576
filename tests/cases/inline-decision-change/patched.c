/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * The fix shrinks a static helper enough that the compiler now inlines
 * it into its two callers: the helper's symbol disappears and both
 * callers change.
 */
struct foo_cmd {
	int	c_op;
	int	c_arg;
	int	c_flags;
};

int	foo_submit(struct foo_cmd *c);

static int
foo_check(struct foo_cmd *c)
{
	if (c->c_op < 1 || c->c_op > 5)
		return (EOPNOTSUPP);
	return (0);
}

int
foo_submit(struct foo_cmd *c)
{
	int error;

	error = foo_check(c);
	if (error != 0)
		return (error);
	c->c_flags |= 0x1;
	return (0);
}

int	foo_validate(struct foo_cmd *c);

int
foo_validate(struct foo_cmd *c)
{
	return (foo_check(c) == 0);
}
