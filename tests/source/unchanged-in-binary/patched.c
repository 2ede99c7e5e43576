/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

#include <sys/param.h>

unsigned	ub_double(unsigned x);

unsigned
ub_double(unsigned x)
{
	return (x << 1);
}
