/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>

/*
 * kpatch "gcc-constprop-cold": a constant-propagated clone
 * (foo_xfer.constprop.0) that also has an out-of-line cold part
 * (foo_xfer.constprop.0.cold).
 */
struct foo_softc {
	int	sc_unit;
	int	sc_state;
	u_long	sc_bytes[4];
	u_long	sc_errors;
};

void	foo_report(struct foo_softc *sc, const char *fmt, ...) __cold
	    __printflike(2, 3);
int	foo_send(struct foo_softc *sc, size_t len);
int	foo_recv(struct foo_softc *sc, size_t len);

static __noinline int
foo_xfer(struct foo_softc *sc, int dir, size_t len, int flags)
{
	if (__predict_false(sc->sc_state != 1)) {
		sc->sc_errors++;
		foo_report(sc, "transfer in state %d (dir %d, flags %#x)",
		    sc->sc_state, dir, flags);
		return (ENXIO);
	}
	sc->sc_bytes[dir & 3] += len;
	return (0);
}

int
foo_send(struct foo_softc *sc, size_t len)
{
	return (foo_xfer(sc, 1, len, 0));
}

int
foo_recv(struct foo_softc *sc, size_t len)
{
	return (foo_xfer(sc, 2, len, 0));
}
