/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

void	ra_barrier(void);

void
ra_barrier(void)
{
	__asm__ __volatile__("mfence" ::: "memory");
}
