/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

int	rg_max_retries = 8;

int	rg_retry(int n);

int
rg_retry(int n)
{
	return (n < rg_max_retries);
}
