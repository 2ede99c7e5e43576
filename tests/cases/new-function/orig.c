/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/errno.h>
#include <sys/priv.h>

/*
 * A system-call style entry point that copies a request in, checks it
 * and copies the answer out.
 */
struct foo_req {
	int	fr_op;
	int	fr_arg;
	long	fr_result;
};

extern long foo_ops_total;

int	foo_ioctl_req(struct thread *td, void *uaddr);

int
foo_ioctl_req(struct thread *td, void *uaddr)
{
	struct foo_req req;
	int error;

	error = copyin(uaddr, &req, sizeof(req));
	if (error != 0)
		return (error);
	switch (req.fr_op) {
	case 1:
		req.fr_result = req.fr_arg * 2;
		break;
	case 2:
		req.fr_result = foo_ops_total;
		break;
	default:
		return (EINVAL);
	}
	foo_ops_total++;
	return (copyout(&req, uaddr, sizeof(req)));
}
