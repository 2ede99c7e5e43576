/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * Request validation for a character device.
 */
struct foo_req {
	int	r_cmd;
	int	r_len;
	void	*r_buf;
};

int	foo_validate(const struct foo_req *r);

/* New in the fix: the limit, exported so that a tunable can set it. */
int foo_max_req_len = 65536;

int
foo_validate(const struct foo_req *r)
{
	if (r->r_buf == NULL)
		return (EFAULT);
	if (r->r_len < 0 || r->r_len > foo_max_req_len)
		return (EINVAL);
	return (0);
}
