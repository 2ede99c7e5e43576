/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

/*
 * Declarations only, with the signatures of FreeBSD's sysctlbyname(3), so that
 * kmod-template/tools/fbsd-livepatch/backend_freebsd.c is type-checked on
 * Linux.  Nothing here is linked or run.
 */

#ifndef FBSDLP_CHECK_SYS_SYSCTL_H
#define FBSDLP_CHECK_SYS_SYSCTL_H

#include <stddef.h>

int	sysctlbyname(const char *name, void *oldp, size_t *oldlenp,
	    const void *newp, size_t newlen);

#endif
