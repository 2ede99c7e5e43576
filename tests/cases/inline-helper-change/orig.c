/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * A static inline helper used by two functions (and a third that does
 * not use it).  Changing the helper changes both callers, where it is
 * inlined; there is no helper symbol at all.
 */
struct foo_q {
	u_int	q_head;
	u_int	q_tail;
	u_int	q_size;
	int	q_ent[256];
};

static __inline u_int
foo_q_next(const struct foo_q *q, u_int idx)
{
	return ((idx + 1) % q->q_size);
}

int	foo_q_push(struct foo_q *q, int v);
int	foo_q_pop(struct foo_q *q, int *vp);
u_int	foo_q_size(const struct foo_q *q);

int
foo_q_push(struct foo_q *q, int v)
{
	u_int n = foo_q_next(q, q->q_tail);

	if (n == q->q_head)
		return (0);
	q->q_ent[q->q_tail] = v;
	q->q_tail = n;
	return (1);
}

int
foo_q_pop(struct foo_q *q, int *vp)
{
	if (q->q_head == q->q_tail)
		return (0);
	*vp = q->q_ent[q->q_head];
	q->q_head = foo_q_next(q, q->q_head);
	return (1);
}

u_int
foo_q_size(const struct foo_q *q)
{
	return (q->q_size);
}
