/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>
#include <sys/kernel.h>
#include <sys/malloc.h>

MALLOC_DEFINE(M_RMD, "rmd", "rmd data buffers");

int	rmd_nothing(void);

int
rmd_nothing(void)
{
	return (0);
}
