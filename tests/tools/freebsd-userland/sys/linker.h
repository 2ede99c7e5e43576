/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 */

/*
 * Declarations only, with the signatures of FreeBSD's kldload(2),
 * kldfind(2) and kldunload(2), so that
 * kmod-template/tools/fbsd-livepatch/backend_freebsd.c is type-checked on
 * Linux.  Nothing here is linked or run.
 */

#ifndef FBSDLP_CHECK_SYS_LINKER_H
#define FBSDLP_CHECK_SYS_LINKER_H

#include <stddef.h>

int	kldload(const char *file);
int	kldfind(const char *file);
int	kldunload(int fileid);

#endif
