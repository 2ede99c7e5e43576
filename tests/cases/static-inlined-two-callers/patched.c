/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/priv.h>
#include <sys/errno.h>

/*
 * A small static function (not marked inline) that the compiler
 * inlines into both of its callers.
 */
static int
foo_may_admin(struct thread *td, int unit)
{
	if (unit == 0 && td->td_ucred->cr_uid == 0)
		return (0);
	return (priv_check(td, PRIV_DRIVER));
}

int	foo_set_unit_mode(struct thread *td, int unit, int mode);
int	foo_reset_unit(struct thread *td, int unit);

int
foo_set_unit_mode(struct thread *td, int unit, int mode)
{
	int error;

	error = foo_may_admin(td, unit);
	if (error != 0)
		return (error);
	printf("foo%d: mode %d\n", unit, mode);
	return (0);
}

int
foo_reset_unit(struct thread *td, int unit)
{
	int error;

	error = foo_may_admin(td, unit);
	if (error == 0)
		printf("foo%d: reset\n", unit);
	return (error);
}
