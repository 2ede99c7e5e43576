/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * The fix only renames a static helper; its body and its caller's code
 * are otherwise identical.
 */
struct foo_node {
	struct foo_node	*n_next;
	int		n_key;
	int		n_val;
};

static __noinline struct foo_node *
foo_node_lookup(struct foo_node *head, int key)
{
	struct foo_node *n;

	for (n = head; n != NULL; n = n->n_next)
		if (n->n_key == key)
			return (n);
	return (NULL);
}

int	foo_get_val(struct foo_node *head, int key, int *valp);

int
foo_get_val(struct foo_node *head, int key, int *valp)
{
	struct foo_node *n;

	n = foo_node_lookup(head, key);
	if (n == NULL)
		return (ENOENT);
	*valp = n->n_val;
	return (0);
}
