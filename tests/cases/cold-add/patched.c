/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/errno.h>

struct foo_softc {
	int		sc_unit;
	u_int		sc_flags;
	size_t		sc_len;
	char		*sc_buf;
	u_long		sc_errors;
};

#define	FOO_MAXBUF	65536
#define	FOO_F_VALID	0x0001

/* Error reporting is rare; the compiler moves paths calling it out of line. */
void	foo_report(struct foo_softc *sc, const char *fmt, ...) __cold
	    __printflike(2, 3);
int	foo_setbuf(struct foo_softc *sc, const void *src, size_t len);

int
foo_setbuf(struct foo_softc *sc, const void *src, size_t len)
{
	char *nbuf;

	if (__predict_false(len > FOO_MAXBUF)) {
		sc->sc_errors++;
		foo_report(sc, "buffer length %zu exceeds %d", len, FOO_MAXBUF);
		return (EINVAL);
	}
	nbuf = malloc(len, M_DEVBUF, M_WAITOK | M_ZERO);
	bcopy(src, nbuf, len);
	free(sc->sc_buf, M_DEVBUF);
	sc->sc_buf = nbuf;
	sc->sc_len = len;
	sc->sc_flags |= FOO_F_VALID;
	return (0);
}
