/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/sdt.h>
#include <sys/errno.h>

/*
 * DTrace SDT probes.  The provider and the probes are global objects
 * registered through set_sdt_providers_set, set_sdt_probes_set and
 * set_sdt_argtypes_set (the argument types are static sdta_* objects).
 */
SDT_PROVIDER_DEFINE(foo);
SDT_PROBE_DEFINE2(foo, , request, start, "int", "struct proc *");
SDT_PROBE_DEFINE2(foo, , request, done, "int", "int");

int	foo_request(struct proc *p, int op);

int
foo_request(struct proc *p, int op)
{
	int error;

	SDT_PROBE2(foo, , request, start, op, p);
	if (op < 0 || op > 16 || (p->p_flag & P_WEXIT) != 0)
		error = EINVAL;
	else
		error = 0;
	SDT_PROBE2(foo, , request, done, op, error);
	return (error);
}
