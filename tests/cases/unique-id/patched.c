/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>

/*
 * TUNABLE_INT() builds its object and SYSINIT names from __LINE__
 * (__tunable_int_<line>, __Tunable_init_<line>_sys_init), like kpatch's
 * __UNIQUE_ID.  Moving it renames them without changing anything.
 */
static int foo_maxconn = 128;
static int foo_backlog = 16;	/* listen queue limit */

/* Both limits may be set from loader.conf(5). */

TUNABLE_INT("kern.foo.maxconn", &foo_maxconn);
TUNABLE_INT("kern.foo.backlog", &foo_backlog);

SYSCTL_INT(_kern, OID_AUTO, foo_maxconn, CTLFLAG_RDTUN, &foo_maxconn, 0,
    "maximum number of foo connections");

int	foo_can_accept(int nconn, int qlen);

int
foo_can_accept(int nconn, int qlen)
{
	return (nconn < foo_maxconn && qlen < foo_backlog);
}
