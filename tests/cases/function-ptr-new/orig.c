/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/callout.h>
#include <sys/mutex.h>

/*
 * A watchdog-style timer: foo_start() arms a callout.
 */
struct foo_softc {
	struct mtx	sc_mtx;
	struct callout	sc_tick;
	int		sc_running;
	u_long		sc_ticks;
};

void	foo_start(struct foo_softc *sc);
void	foo_tick(void *arg);

void
foo_tick(void *arg)
{
	struct foo_softc *sc = arg;

	sc->sc_ticks++;
	if (sc->sc_running)
		callout_reset(&sc->sc_tick, hz, foo_tick, sc);
}

void
foo_start(struct foo_softc *sc)
{
	mtx_lock(&sc->sc_mtx);
	sc->sc_running = 1;
	callout_reset(&sc->sc_tick, hz, foo_tick, sc);
	mtx_unlock(&sc->sc_mtx);
}
