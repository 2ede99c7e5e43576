/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Every caller passes the same constant for "verbose", so GCC clones the
 * static helper with that argument propagated: foo_account.constprop.0.
 */
struct foo_softc {
	int	sc_unit;
	int	sc_flags;
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
	return (foo_account(sc, which, 3, 0));
}
