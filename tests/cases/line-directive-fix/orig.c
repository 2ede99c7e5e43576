/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#line 6 "sys/dev/foo/foo_queue.c"
/* (the #line above pins __FILE__ to the kernel source path) */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * A bounded queue whose invariants are checked with MPASS(), which
 * records __FILE__ and __LINE__ in every function using it.
 */
struct foo_queue {
	int	q_head;
	int	q_tail;
	int	q_len;
	int	q_max;
	void	*q_item[64];
};

int	foo_enqueue(struct foo_queue *q, void *item);
void	*foo_dequeue(struct foo_queue *q);
int	foo_qlen(const struct foo_queue *q);
void	foo_qinit(struct foo_queue *q, int max);

int
foo_enqueue(struct foo_queue *q, void *item)
{
	MPASS(item != NULL);
	if (q->q_len == q->q_max)
		return (ENOSPC);
	q->q_item[q->q_tail] = item;
	q->q_tail = (q->q_tail + 1) % 64;
	q->q_len++;
	return (0);
}

void *
foo_dequeue(struct foo_queue *q)
{
	void *item;

	if (q->q_len == 0)
		return (NULL);
	item = q->q_item[q->q_head];
	MPASS(item != NULL);
	q->q_head = (q->q_head + 1) % 64;
	q->q_len--;
	return (item);
}

int
foo_qlen(const struct foo_queue *q)
{
	return (q->q_len);
}

void
foo_qinit(struct foo_queue *q, int max)
{
	MPASS(max > 0 && max <= 64);
	q->q_head = q->q_tail = q->q_len = 0;
	q->q_max = max;
}
