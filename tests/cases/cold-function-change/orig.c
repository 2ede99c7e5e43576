/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>

/*
 * Functions marked cold and hot: GCC places a __cold function in
 * .text.unlikely.<name> and a __hot one in .text.hot.<name>, under
 * their plain names.  They are ordinary functions, not .cold children.
 */
struct foo_softc {
	int	sc_unit;
	u_long	sc_errors;
	u_long	sc_packets;
};

void	foo_error(struct foo_softc *sc, int code);
void	foo_input(struct foo_softc *sc, int len);

__cold __noinline void
foo_error(struct foo_softc *sc, int code)
{
	sc->sc_errors++;
	printf("foo%d: error %d\n", sc->sc_unit, code);
}

__hot void
foo_input(struct foo_softc *sc, int len)
{
	if (__predict_false(len <= 0)) {
		foo_error(sc, len);
		return;
	}
	sc->sc_packets++;
}
