/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Only the text of a message changes; the instructions stay identical
 * and only the referenced string (and the offsets of later strings in
 * the merged string section) differ.
 */
void	foo_announce(int unit, int speed);
void	foo_link_down(int unit);
void	foo_link_flap(int unit, int count);

void
foo_announce(int unit, int speed)
{
	printf("foo%d: link is up, %d Mbit/s full duplex\n", unit, speed);
}

void
foo_link_down(int unit)
{
	printf("foo%d: link down\n", unit);
}

void
foo_link_flap(int unit, int count)
{
	if (count > 10)
		printf("foo%d: link flapping (%d transitions)\n", unit, count);
}
