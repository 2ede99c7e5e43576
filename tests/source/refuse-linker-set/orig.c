/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>
#include <sys/linker_set.h>

struct rls_handler {
	const char	*name;
	int		 prio;
};

static struct rls_handler rls_a = { "a", 1 };
DATA_SET(rls_handlers, rls_a);

int	rls_prio(void);

int
rls_prio(void)
{
	return (rls_a.prio);
}
