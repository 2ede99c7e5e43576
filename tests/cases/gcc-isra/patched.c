/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * The helper reads one member of the structure it is passed, so GCC's
 * interprocedural scalar replacement passes that member by value in a
 * clone, foo_mode_ok.isra.0.
 */
struct foo_softc {
	int	sc_unit;
	u_int	sc_flags;
	long	sc_cnt[8];
	char	*sc_name;
};

#define	FOO_MODE_MASK	0x0003
#define	FOO_MODE_RUN	0x0001
#define	FOO_F_FORCE	0x0010

int	foo_start(struct foo_softc *sc);
int	foo_poll(struct foo_softc *sc);

static __noinline bool
foo_mode_ok(const struct foo_softc *sc)
{
	return ((sc->sc_flags & FOO_MODE_MASK) == FOO_MODE_RUN ||
	    (sc->sc_flags & (FOO_F_FORCE | 0x0020)) != 0);
}

int
foo_start(struct foo_softc *sc)
{
	if (!foo_mode_ok(sc))
		return (EBUSY);
	sc->sc_cnt[0]++;
	return (0);
}

int
foo_poll(struct foo_softc *sc)
{
	return (foo_mode_ok(sc) ? sc->sc_unit : -1);
}
