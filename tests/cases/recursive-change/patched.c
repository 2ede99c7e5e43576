/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * A recursive tree walk.  The changed function calls itself; in the
 * patch the self-call must go to the new copy.
 */
struct foo_tnode {
	struct foo_tnode	*t_left;
	struct foo_tnode	*t_right;
	int			t_weight;
};

int	foo_tree_weight(const struct foo_tnode *t, int depth);

int
foo_tree_weight(const struct foo_tnode *t, int depth)
{
	if (t == NULL || depth > 64)
		return (0);
	return (t->t_weight + foo_tree_weight(t->t_left, depth + 1) +
	    foo_tree_weight(t->t_right, depth + 1));
}
