/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>

/*
 * The fix changes a message printed before the sysctl descriptions in
 * the merged string section, so the OID objects' relocations to their
 * name, format and description strings move.  The OIDs are unchanged.
 */
static int foo_verbose = 0;
static u_int foo_maxq = 128;

int	foo_warn_queue(u_int qlen);

int
foo_warn_queue(u_int qlen)
{
	if (qlen > foo_maxq) {
		printf("foo: queue length %u above limit\n", qlen);
		return (1);
	}
	if (foo_verbose)
		printf("foo: queue length %u\n", qlen);
	return (0);
}

SYSCTL_INT(_debug, OID_AUTO, foo_verbose, CTLFLAG_RW, &foo_verbose, 0,
    "print every foo queue length");
SYSCTL_UINT(_kern, OID_AUTO, foo_maxq, CTLFLAG_RW, &foo_maxq, 0,
    "foo queue length limit");
