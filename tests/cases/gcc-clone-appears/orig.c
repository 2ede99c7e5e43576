/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * The fix makes every caller pass the same constant to a static helper,
 * so GCC now clones it (foo_account.constprop.0) where the original
 * object had a plain foo_account with four parameters.  The clone has a
 * different calling convention: it is a new function, never a
 * replacement for the kernel's foo_account.
 */
struct foo_softc {
	int	sc_unit;
	int	sc_debug;
	long	sc_cnt[8];
	char	*sc_name;
};

int	foo_rx(struct foo_softc *sc);
int	foo_tx(struct foo_softc *sc);
int	foo_err(struct foo_softc *sc, int which);

static __noinline int
foo_account(struct foo_softc *sc, int which, int delta, int verbose)
{
	sc->sc_cnt[which & 7] += delta;
	if (verbose)
		printf("%s%d: counter %d now %ld\n", sc->sc_name, sc->sc_unit,
		    which, sc->sc_cnt[which & 7]);
	return (sc->sc_cnt[which & 7] > 1000);
}

int
foo_rx(struct foo_softc *sc)
{
	return (foo_account(sc, 1, 1, 0));
}

int
foo_tx(struct foo_softc *sc)
{
	return (foo_account(sc, 2, 1, 0));
}

int
foo_err(struct foo_softc *sc, int which)
{
	return (foo_account(sc, which, 3, sc->sc_debug));
}
