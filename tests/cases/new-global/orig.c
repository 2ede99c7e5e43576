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

int
foo_validate(const struct foo_req *r)
{
	if (r->r_buf == NULL)
		return (EFAULT);
	if (r->r_len < 0)
		return (EINVAL);
	return (0);
}
