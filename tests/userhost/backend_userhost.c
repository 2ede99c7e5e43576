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
 * The test backend: the userspace host of tests/userhost (uh-host), which
 * runs the same runtime core in a Linux process, over its control socket.
 * The host's "load PATH" is the kldload analogue (the module registers and
 * applies), "list" prints what debug.livepatch.patches prints, and
 * "buildid" stands for kern.build_id.  The socket is $FBSD_LIVEPATCH_SOCKET
 * (default /tmp/uh-host.sock).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "lp_backend.h"
#include "uh.h"

static const char *
sock(void)
{
	const char *s;

	s = getenv("FBSD_LIVEPATCH_SOCKET");
	return (s != NULL && *s != '\0' ? s : "/tmp/uh-host.sock");
}

/*
 * One request.  On success *out (if wanted) gets the output after "OK\n";
 * an "ERR" answer is LP_EX_REFUSED with the runtime's message.
 */
static int
request(const char *req, char **out)
{
	char err[512], *resp;
	size_t n;

	if (out != NULL)
		*out = NULL;
	if (uh_client_request(sock(), req, &resp, err, sizeof(err)) != 0)
		return (lp_fail(LP_EX_USAGE, "%s", err));
	if (strncmp(resp, "OK\n", 3) == 0) {
		if (out != NULL) {
			memmove(resp, resp + 3, strlen(resp + 3) + 1);
			*out = resp;
		} else
			free(resp);
		return (0);
	}
	n = strlen(resp);
	while (n > 0 && resp[n - 1] == '\n')
		resp[--n] = '\0';
	lp_fail(LP_EX_REFUSED, "%s", strncmp(resp, "ERR ", 4) == 0 ?
	    resp + 4 : resp);
	free(resp);
	return (LP_EX_REFUSED);
}

const char *
lpb_describe(void)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "the test host at %s", sock());
	return (buf);
}

int
lpb_build_id(char *out, size_t len)
{
	char *resp;
	size_t n;
	int error;

	if ((error = request("buildid", &resp)) != 0)
		return (error);
	n = strcspn(resp, "\n");
	if (n == 0 || n >= len) {
		free(resp);
		return (lp_fail(LP_EX_USAGE, "%s: unexpected build-id answer",
		    sock()));
	}
	memcpy(out, resp, n);
	out[n] = '\0';
	free(resp);
	return (0);
}

int
lpb_osreldate(uint32_t *v)
{
	*v = 0;
	return (0);
}

int
lpb_runtime(int verbose, int *loaded)
{
	(void)verbose;
	*loaded = 0;
	return (0);
}

int
lpb_runtime_unload(void)
{
	return (0);
}

int
lpb_load(const char *path, const char *name)
{
	char req[1200];

	(void)name;
	if (strpbrk(path, " \t\n") != NULL)
		return (lp_fail(LP_EX_USAGE, "%s: the test host cannot take "
		    "a path with white space", path));
	snprintf(req, sizeof(req), "load %s", path);
	return (request(req, NULL));
}

int
lpb_patches(char **text)
{
	return (request("list", text));
}

int
lpb_apply(const char *name)
{
	char req[128];

	snprintf(req, sizeof(req), "apply %s", name);
	return (request(req, NULL));
}

int
lpb_revert(const char *name)
{
	char req[128];

	snprintf(req, sizeof(req), "revert %s", name);
	return (request(req, NULL));
}

int
lpb_unload(const char *name)
{
	char req[128];

	snprintf(req, sizeof(req), "unload %s", name);
	return (request(req, NULL));
}

int
lpb_loaded(const char *name)
{
	/* The host keeps no module apart from the patch it registered. */
	(void)name;
	return (0);
}
