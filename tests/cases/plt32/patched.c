/*-
 * SPDX-License-Identifier: BSD-2-Clause
 * Copyright (c) 2026 The fbsd-livepatch developers
 */
#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/uio.h>
#include <sys/errno.h>

/*
 * Calls to kernel functions are R_X86_64_PLT32 relocations (no PLT in
 * the kernel: the kernel linker treats them as PC32).  A patched
 * function's calls to kernel globals stay undefined in the patch and
 * are resolved by the kernel linker at kldload.
 */
int	foo_read_config(struct uio *uio, size_t maxlen);

int
foo_read_config(struct uio *uio, size_t maxlen)
{
	char *buf;
	int error;

	if (uio->uio_resid > maxlen)
		return (E2BIG);
	buf = malloc(maxlen + 1, M_TEMP, M_WAITOK | M_ZERO);
	error = uiomove(buf, uio->uio_resid, uio);
	if (error == 0 && strnlen(buf, maxlen) == maxlen)
		error = EINVAL;
	free(buf, M_TEMP);
	return (error);
}
