/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
/*
 * Only a long message changes, after its first 40 characters: the first
 * change must show where the strings differ, not the same prefix twice.
 */
#include <sys/param.h>
#include <sys/systm.h>

int	foo_files_limit(int uid);

int
foo_files_limit(int uid)
{
	printf("kern.maxfiles limit exceeded by uid %i, please see tuning(7) and loader.conf(5).\n", uid);
	return (-1);
}
