/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#line 6 "sys/kern/kern_foo.c"
/* (the #line above pins __FILE__ to the kernel source path) */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mutex.h>
#include <sys/errno.h>

/*
 * Assertions that embed __FILE__ and __LINE__: MPASS() through
 * KASSERT()/kassert_panic(), mtx_assert() and an explicit panic().  The
 * file name is a string in read-only data, the line an immediate.
 */
struct foo_obj {
	struct mtx	fo_mtx;
	int		fo_state;
	int		fo_refs;
};

#define	FOO_ST_NEW	0
#define	FOO_ST_LIVE	1
#define	FOO_ST_DEAD	2

int	foo_obj_kill(struct foo_obj *fo);
void	foo_obj_ref(struct foo_obj *fo);

int
foo_obj_kill(struct foo_obj *fo)
{
	mtx_assert(&fo->fo_mtx, MA_OWNED);
	MPASS(fo->fo_refs > 0);
	if (fo->fo_state == FOO_ST_DEAD)
		panic("%s:%d: object %p killed twice", __FILE__, __LINE__, fo);
	if (fo->fo_state == FOO_ST_NEW)
		return (EBUSY);
	fo->fo_state = FOO_ST_DEAD;
	return (0);
}

void
foo_obj_ref(struct foo_obj *fo)
{
	MPASS(fo->fo_state != FOO_ST_DEAD);
	fo->fo_refs++;
}
