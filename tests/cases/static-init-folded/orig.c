/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/sysctl.h>

/*
 * Writable variables with initial values, read by run-time code.
 * foo_lowat is never written and its address never escapes, so both
 * compilers fold its value into the code and emit no object for it.
 */
int foo_hiwat = 4096;
static int foo_lowat = 1024;
static int foo_burst __read_mostly = 8;

SYSCTL_INT(_kern, OID_AUTO, foo_hiwat, CTLFLAG_RW, &foo_hiwat, 0,
    "foo high watermark");

int	foo_should_send(int queued);

int
foo_should_send(int queued)
{
	if (queued >= foo_hiwat)
		return (foo_burst);
	return (queued >= foo_lowat ? 1 : 0);
}
