/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * A byte counter that overflows; the fix widens it.  The kernel's
 * variable is 4 bytes: the patched code would read and write 8.
 */
long	foo_total_bytes;

void	foo_count(int len);

void
foo_count(int len)
{
	foo_total_bytes += len;
}
