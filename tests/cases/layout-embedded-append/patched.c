/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Statistics embedded in a larger structure.  Appending a counter to the
 * statistics looks harmless - nothing moves inside foo_stats - but it
 * moves every member of foo_softc that follows the embedded copy.
 */
struct foo_stats {
	uint64_t	fs_packets;
	uint64_t	fs_bytes;
	uint64_t	fs_runts;
};

struct foo_softc {
	int			sc_unit;
	struct foo_stats	sc_stats;
	int			sc_state;
};

static struct foo_softc foo_sc0;

void	foo_input(int len);
int	foo_state(void);

void
foo_input(int len)
{
	foo_sc0.sc_stats.fs_packets++;
	foo_sc0.sc_stats.fs_bytes += len;
	if (len < 64)
		foo_sc0.sc_stats.fs_runts++;
}

int
foo_state(void)
{
	return (foo_sc0.sc_state);
}
