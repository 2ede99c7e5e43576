/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#define	SDT_TRACEPOINTS		/* FreeBSD 15: hot-patched probe sites */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/sdt.h>
#include <sys/errno.h>

/*
 * Probe sites inside a changed function, away from its entry: the patch
 * is fine, but the running kernel holds a jmp instead of the nop at every
 * enabled probe, so the old-function hash must not cover those bytes.
 */
SDT_PROVIDER_DEFINE(foo);
SDT_PROBE_DEFINE2(foo, , request, start, "int", "struct proc *");
SDT_PROBE_DEFINE2(foo, , request, done, "int", "int");

int	foo_request(struct proc *p, int op);

int
foo_request(struct proc *p, int op)
{
	int error;

	if (p == NULL)
		return (ESRCH);
	SDT_PROBE2(foo, , request, start, op, p);
	if (op < 0 || op > 32)
		error = EINVAL;
	else
		error = 0;
	SDT_PROBE2(foo, , request, done, op, error);
	return (error);
}
