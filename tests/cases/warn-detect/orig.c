/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/errno.h>

/*
 * Plain code with KASSERT()s whose messages carry no line numbers.
 */
struct foo_ref {
	u_int	fr_refs;
	int	fr_flags;
	void	*fr_data;
};

void	foo_ref_hold(struct foo_ref *fr);
int	foo_ref_drop(struct foo_ref *fr);
int	foo_ref_check(const struct foo_ref *fr, struct thread *td);

void
foo_ref_hold(struct foo_ref *fr)
{
	KASSERT(fr->fr_refs > 0, ("%s: ref %p not held", __func__, fr));
	fr->fr_refs++;
}

int
foo_ref_drop(struct foo_ref *fr)
{
	KASSERT(fr->fr_refs > 0, ("%s: ref %p underflow", __func__, fr));
	if (--fr->fr_refs == 0) {
		fr->fr_data = NULL;
		return (1);
	}
	return (0);
}

int
foo_ref_check(const struct foo_ref *fr, struct thread *td)
{
	if (fr->fr_data == NULL)
		return (ENOENT);
	printf("foo: tid %d checks ref %p\n", td->td_tid, fr);
	return (0);
}
