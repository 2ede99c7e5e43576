/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copyright (c) 2026 The fbsd-livepatch developers
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE AUTHOR AND CONTRIBUTORS ``AS IS'' AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE AUTHOR OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS
 * OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
 * HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT
 * LIABILITY, OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY
 * OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF
 * SUCH DAMAGE.
 */

/*
 * fbsd-livepatch(8): what the command files share.  lp_main.c has the
 * commands on one patch (load, info, list, apply, revert, unload);
 * lp_installed.c those on the installed set that rc.d/livepatch uses
 * (install, uninstall, boot, stop).
 */

#ifndef LP_CMD_H
#define LP_CMD_H

#include <stddef.h>

#include "lp.h"

#define DEFAULT_KEYDIR		"/etc/livepatch/keys"
#define DEFAULT_STATEDIR	"/var/db/livepatch"
#define LP_BUNDLE_SUFFIX	".lpbundle"

/* The options (-k, -d, -f, -v). */
extern const char *keydir;
extern const char *statedir;
extern int force, verbose;

int	report(int code);
int	valid_name(const char *s);
int	patch_state(const char *name, char *state, size_t len);
void	state_path(char *buf, size_t len, const char *name,
	    const char *suffix);
int	check_target(const struct lp_bundle *b);
int	open_verified(const char *path, struct lp_bundle *b);
int	load_opened(const char *path, struct lp_bundle *b);

int	cmd_install(const char *path);
int	cmd_uninstall(const char *name);
int	cmd_boot(int argc, char **argv);
int	cmd_stop(void);

#endif /* !LP_CMD_H */
