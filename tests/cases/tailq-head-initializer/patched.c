/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/queue.h>
#include <sys/mutex.h>
#include <sys/kernel.h>

/*
 * A static list head initialised with TAILQ_HEAD_INITIALIZER, which
 * points into itself (a relocation from .data.foo_list to itself), and a
 * mutex set up by MTX_SYSINIT.
 */
struct foo_item {
	TAILQ_ENTRY(foo_item)	fi_link;
	int			fi_id;
};

static TAILQ_HEAD(, foo_item) foo_list = TAILQ_HEAD_INITIALIZER(foo_list);
static struct mtx foo_list_mtx;
MTX_SYSINIT(foo_list, &foo_list_mtx, "foo list", MTX_DEF);

void	foo_insert(struct foo_item *fi);
struct foo_item *foo_find(int id);

void
foo_insert(struct foo_item *fi)
{
	if (fi->fi_id < 0)
		return;
	mtx_lock(&foo_list_mtx);
	TAILQ_INSERT_TAIL(&foo_list, fi, fi_link);
	mtx_unlock(&foo_list_mtx);
}

struct foo_item *
foo_find(int id)
{
	struct foo_item *fi;

	mtx_lock(&foo_list_mtx);
	TAILQ_FOREACH(fi, &foo_list, fi_link)
		if (fi->fi_id == id)
			break;
	mtx_unlock(&foo_list_mtx);
	return (fi);
}
