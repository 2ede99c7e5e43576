/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

/*
 * Declarations only, with the signatures of FreeBSD's modfind(2), so that
 * kmod-template/tools/fbsd-livepatch/backend_freebsd.c is type-checked on
 * Linux.  Nothing here is linked or run.
 */

#ifndef FBSDLP_CHECK_SYS_MODULE_H
#define FBSDLP_CHECK_SYS_MODULE_H

#include <stddef.h>

int	modfind(const char *modname);

#endif
