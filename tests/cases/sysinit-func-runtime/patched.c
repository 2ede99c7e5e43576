/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>
#include <sys/errno.h>

/*
 * A function run by a SYSINIT at boot that is also called at run time
 * (from a sysctl handler), so it is not init-only code.
 */
static int foo_nbuckets = 64;
static u_long foo_mask;
static int foo_rehashes;

static __noinline void
foo_rehash(void *arg __unused)
{
	if (foo_nbuckets < 16 || foo_nbuckets > 65536)
		foo_nbuckets = 64;
	foo_mask = foo_nbuckets - 1;
	foo_rehashes++;
}
SYSINIT(foo_rehash, SI_SUB_DRIVERS, SI_ORDER_ANY, foo_rehash, NULL);

static int
sysctl_foo_nbuckets(SYSCTL_HANDLER_ARGS)
{
	int error, val;

	val = foo_nbuckets;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (!powerof2(val))
		return (EINVAL);
	foo_nbuckets = val;
	foo_rehash(NULL);
	return (0);
}
SYSCTL_PROC(_kern, OID_AUTO, foo_nbuckets,
    CTLTYPE_INT | CTLFLAG_RW | CTLFLAG_MPSAFE, NULL, 0,
    sysctl_foo_nbuckets, "I", "number of foo hash buckets");

u_long	foo_hash(u_long key);

u_long
foo_hash(u_long key)
{
	return ((key * 2654435761UL) & foo_mask);
}
