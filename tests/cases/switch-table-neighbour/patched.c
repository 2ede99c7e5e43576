/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/errno.h>

/*
 * An unchanged ioctl handler with a jump table (.rodata.foo_ioctl, its
 * entries relocations into .text.foo_ioctl) next to a function that
 * changes.
 */
#define	FOOIOC_RESET	0x6601
#define	FOOIOC_START	0x6602
#define	FOOIOC_STOP	0x6603
#define	FOOIOC_GSTAT	0x6604
#define	FOOIOC_SMODE	0x6605
#define	FOOIOC_GMODE	0x6606
#define	FOOIOC_FLUSH	0x6607
#define	FOOIOC_GVER	0x6608

struct foo_softc {
	int	sc_running;
	int	sc_mode;
	int	sc_stat;
	int	sc_pending;
};

int	foo_ioctl(struct cdev *dev, u_long cmd, caddr_t data, int fflag,
	    struct thread *td);
int	foo_poll(struct cdev *dev, int events, struct thread *td);

int
foo_ioctl(struct cdev *dev, u_long cmd, caddr_t data, int fflag,
    struct thread *td)
{
	struct foo_softc *sc = dev->si_drv1;
	int error = 0;

	switch (cmd) {
	case FOOIOC_RESET:
		sc->sc_running = 0;
		sc->sc_stat = 0;
		break;
	case FOOIOC_START:
		sc->sc_running = 1;
		break;
	case FOOIOC_STOP:
		sc->sc_running = 0;
		break;
	case FOOIOC_GSTAT:
		*(int *)data = sc->sc_stat;
		break;
	case FOOIOC_SMODE:
		sc->sc_mode = *(int *)data;
		break;
	case FOOIOC_GMODE:
		*(int *)data = sc->sc_mode;
		break;
	case FOOIOC_FLUSH:
		sc->sc_pending = 0;
		break;
	case FOOIOC_GVER:
		*(int *)data = 3;
		break;
	default:
		error = ENOTTY;
		break;
	}
	return (error);
}

int
foo_poll(struct cdev *dev, int events, struct thread *td)
{
	struct foo_softc *sc = dev->si_drv1;

	if (sc->sc_running && sc->sc_pending > 0)
		return (events & 0x0041);
	return (0);
}
