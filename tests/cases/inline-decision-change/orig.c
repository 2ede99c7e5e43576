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
	switch (c->c_op) {
	case 1:
		if (c->c_arg < 0 || c->c_arg > 100) {
			printf("foo: op %d arg %d out of range\n", c->c_op, c->c_arg);
			return (EINVAL);
		}
		break;
	case 2:
		if ((c->c_arg & 0x3) != 0) {
			printf("foo: op %d arg %#x misaligned\n", c->c_op, c->c_arg);
			return (EINVAL);
		}
		break;
	case 3:
		if (c->c_flags != 0) {
			printf("foo: op %d flags %#x set\n", c->c_op, c->c_flags);
			return (EBUSY);
		}
		break;
	case 4:
		if (c->c_arg == 0) {
			printf("foo: op %d needs an argument\n", c->c_op);
			return (EINVAL);
		}
		break;
	case 5:
		if (c->c_arg > c->c_flags) {
			printf("foo: op %d arg %d above limit %d\n", c->c_op, c->c_arg, c->c_flags);
			return (ERANGE);
		}
		break;
	default:
		printf("foo: unknown op %d\n", c->c_op);
		return (EOPNOTSUPP);
	}
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
