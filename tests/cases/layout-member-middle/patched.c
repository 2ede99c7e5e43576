/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>

/*
 * A driver's soft state, allocated at attach and live in the running
 * kernel.  The fix adds a member in the middle.
 */
struct foo_softc {
	int		sc_unit;
	int		sc_flags;	/* the fix needs a flag */
	int		sc_nreq;
	long		sc_bytes;
};

struct foo_softc *foo_sc;

int	foo_account(int len);
int	foo_unit(void);

int
foo_account(int len)
{
	struct foo_softc *sc = foo_sc;

	if (len <= 0)
		return (EINVAL);
	if (sc->sc_flags != 0)
		return (EBUSY);
	sc->sc_nreq++;
	sc->sc_bytes += len;
	return (0);
}

int
foo_unit(void)
{
	return (foo_sc->sc_unit);
}
