/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * A cheap test guards an expensive slow path.  GCC's partial inliner
 * inlines the test into every caller and outlines the rest as
 * foo_flush.part.0.
 */
struct foo_softc {
	int	sc_unit;
	int	sc_flags;
	long	sc_slot[8];
	char	*sc_name;
	int	sc_dirty;
};

void	foo_hw_write(struct foo_softc *sc, int reg, long val);
long	foo_hw_read(struct foo_softc *sc, int reg);
int	foo_setflags(struct foo_softc *sc, int flags);
int	foo_write(struct foo_softc *sc, int reg, long val);
int	foo_detach(struct foo_softc *sc);

static int
foo_flush(struct foo_softc *sc)
{
	int i, nerr;

	if (__predict_true(sc->sc_dirty == 0))
		return (0);
	nerr = 0;
	for (i = 0; i < 8; i++) {
		if (sc->sc_slot[i] == 0)
			continue;
		foo_hw_write(sc, 0x40 + i, sc->sc_slot[i]);
		if (foo_hw_read(sc, 0x80 + i) != sc->sc_slot[i]) {
			printf("%s%d: flush of slot %d failed\n", sc->sc_name,
			    sc->sc_unit, i);
			nerr++;
		}
		sc->sc_slot[i] = 0;
	}
	foo_hw_write(sc, 0x10, nerr);
	sc->sc_dirty = 0;
	return (nerr);
}

int
foo_setflags(struct foo_softc *sc, int flags)
{
	sc->sc_flags = flags;
	return (foo_flush(sc));
}

int
foo_write(struct foo_softc *sc, int reg, long val)
{
	foo_hw_write(sc, reg, val);
	return (foo_flush(sc) != 0 ? -1 : 0);
}

int
foo_detach(struct foo_softc *sc)
{
	int error;

	error = foo_flush(sc);
	if (error != 0)
		foo_hw_write(sc, 0x2, error);
	return (error);
}
