/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * The fix calls another function first.  --show-first-changed must name
 * the call targets, as objdump shows a linked kernel, not the 0
 * placeholder of the relocation field.
 */
void	foo_lock(int);
void	foo_lock_spin(int);
long	foo_sum(int);

static long foo_total;

long
foo_sum(int i)
{
	foo_lock_spin(i);
	foo_total += i;
	return (foo_total);
}
