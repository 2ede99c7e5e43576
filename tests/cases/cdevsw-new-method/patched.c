/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/uio.h>
#include <sys/errno.h>

/*
 * A character device: the static struct cdevsw (writable data) holds
 * pointers to the driver's methods.  Patching a method redirects the
 * old function; the table itself keeps pointing at the kernel's copy.
 */
static d_open_t		foo_open;
static d_read_t		foo_read;
static d_close_t		foo_close;

static struct cdevsw foo_cdevsw = {
	.d_version =	D_VERSION,
	.d_name =	"foo",
	.d_open =	foo_open,
	.d_read =	foo_read,
	.d_close =	foo_close,
};

static int
foo_open(struct cdev *dev, int oflags, int devtype, struct thread *td)
{
	if (dev->si_drv1 == NULL)
		return (ENXIO);
	return (0);
}

static int
foo_read(struct cdev *dev, struct uio *uio, int ioflag)
{
	static const char msg[] = "hello from foo\n";

	if (uio->uio_offset >= (off_t)sizeof(msg))
		return (0);
	return (uiomove(__DECONST(char *, msg) + uio->uio_offset,
	    sizeof(msg) - uio->uio_offset, uio));
}

static int
foo_close(struct cdev *dev, int fflag, int devtype, struct thread *td)
{
	return (0);
}

struct cdev *foo_make_dev(void *softc);

struct cdev *
foo_make_dev(void *softc)
{
	struct cdev *dev;

	dev = make_dev(&foo_cdevsw, 0, UID_ROOT, GID_WHEEL, 0600, "foo");
	dev->si_drv1 = softc;
	return (dev);
}
