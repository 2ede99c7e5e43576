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
 * A sysctl node with an integer leaf and a procedural leaf.  Leaves are
 * static "struct sysctl_oid sysctl__<parent>_<name>" objects registered
 * through set_sysctl_set; the node kern.foo is global.
 */
static int foo_timeout = 30;
static int foo_npending;

static SYSCTL_NODE(_kern, OID_AUTO, foo, CTLFLAG_RW | CTLFLAG_MPSAFE, 0,
    "foo subsystem");

SYSCTL_INT(_kern_foo, OID_AUTO, timeout, CTLFLAG_RW, &foo_timeout, 0,
    "foo request timeout in seconds");
SYSCTL_INT(_kern_foo, OID_AUTO, npending, CTLFLAG_RD, &foo_npending, 0,
    "number of pending foo requests");

static int
sysctl_foo_timeout_ms(SYSCTL_HANDLER_ARGS)
{
	int error, val;

	val = foo_timeout * 1000;
	error = sysctl_handle_int(oidp, &val, 0, req);
	if (error != 0 || req->newptr == NULL)
		return (error);
	if (val < 0)
		return (EINVAL);
	foo_timeout = val / 1000;
	return (0);
}
SYSCTL_PROC(_kern_foo, OID_AUTO, timeout_ms,
    CTLTYPE_INT | CTLFLAG_RW | CTLFLAG_MPSAFE, NULL, 0,
    sysctl_foo_timeout_ms, "I", "foo request timeout in milliseconds");
