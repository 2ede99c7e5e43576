/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>

/*
 * Status reporting in the style of a driver's verbose attach messages.
 */
struct foo_stats {
	u_long	fs_inpkts;
	u_long	fs_outpkts;
	u_long	fs_drops;
	u_int	fs_qlen;
};

void	foo_print_stats(const struct foo_stats *fs);
void	foo_print_drops(const struct foo_stats *fs);

void
foo_print_stats(const struct foo_stats *fs)
{
	printf("foo: in %lu out %lu\n", fs->fs_inpkts, fs->fs_outpkts);
	printf("foo: queue length %u (of %u)\n", fs->fs_qlen, 256);
}

void
foo_print_drops(const struct foo_stats *fs)
{
	if (fs->fs_drops != 0)
		printf("foo: %lu packets dropped\n", fs->fs_drops);
}
