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
 * The FreeBSD backend: kern.build_id and kern.osreldate, kldload(2) of the
 * runtime and of patch modules, kldunload(2), and the control sysctls of
 * livepatch(4): debug.livepatch.patches (read), .apply and .revert (write
 * a patch name), .last_error (read after a failure).
 */

#include <sys/param.h>
#include <sys/linker.h>
#include <sys/module.h>
#include <sys/sysctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"
#include "lp_backend.h"

static void
last_error(char *buf, size_t len)
{
	size_t n;

	n = len - 1;
	if (sysctlbyname("debug.livepatch.last_error", buf, &n, NULL, 0) != 0)
		n = 0;
	buf[n < len ? n : len - 1] = '\0';
	if (buf[0] == '\0')
		snprintf(buf, len, "no message from the runtime");
}

const char *
lpb_describe(void)
{
	return ("the running kernel");
}

int
lpb_build_id(char *out, size_t len)
{
	size_t n;

	n = len - 1;
	if (sysctlbyname("kern.build_id", out, &n, NULL, 0) != 0)
		return (lp_fail(LP_EX_USAGE, "sysctl kern.build_id: %s",
		    strerror(errno)));
	out[n < len ? n : len - 1] = '\0';
	return (0);
}

int
lpb_osreldate(uint32_t *v)
{
	size_t n;
	int d;

	n = sizeof(d);
	if (sysctlbyname("kern.osreldate", &d, &n, NULL, 0) != 0 ||
	    n != sizeof(d) || d < 0)
		return (lp_fail(LP_EX_USAGE, "sysctl kern.osreldate: %s",
		    strerror(errno)));
	*v = (uint32_t)d;
	return (0);
}

int
lpb_runtime(int verbose, int *loaded)
{
	*loaded = 0;
	if (modfind("livepatch") >= 0)
		return (0);
	if (verbose)
		printf("kldload livepatch\n");
	if (kldload("livepatch") >= 0) {
		*loaded = 1;
		return (0);
	}
	if (errno != EEXIST)
		return (lp_fail(LP_EX_REFUSED, "kldload livepatch: %s: the "
		    "runtime livepatch(4) is needed", strerror(errno)));
	return (0);
}

int
lpb_runtime_unload(void)
{
	int id;

	if ((id = kldfind("livepatch.ko")) < 0)
		return (lp_fail(LP_EX_REFUSED, "kldfind livepatch.ko: %s",
		    strerror(errno)));
	if (kldunload(id) != 0)
		return (lp_fail(LP_EX_REFUSED, "kldunload livepatch.ko: %s",
		    strerror(errno)));
	return (0);
}

/*
 * The runtime's failure count (debug.livepatch.stats "failures N"), or -1:
 * whether a failed kldload reached the runtime.  Comparing messages would
 * not do: the same failure twice leaves the same message.
 */
static long
failures(void)
{
	char buf[512], *p;
	size_t n;

	n = sizeof(buf) - 1;
	if (sysctlbyname("debug.livepatch.stats", buf, &n, NULL, 0) != 0)
		return (-1);
	buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
	if ((p = strstr(buf, "failures ")) == NULL)
		return (-1);
	return (strtol(p + 9, NULL, 10));
}

int
lpb_load(const char *path, const char *name)
{
	char before[512], msg[512];
	long nfail;
	int e;

	(void)name;
	/* The runtime's message is news only if this load failed in it. */
	nfail = failures();
	last_error(before, sizeof(before));
	if (kldload(path) >= 0)
		return (0);
	e = errno;
	if (e == EEXIST)
		return (lp_fail(LP_EX_REFUSED, "%s: a module of this name is "
		    "already loaded", path));
	last_error(msg, sizeof(msg));
	if (nfail >= 0 ? failures() == nfail : strcmp(msg, before) == 0)
		snprintf(msg, sizeof(msg), "the kernel linker refused it "
		    "before the runtime saw it (see dmesg)");
	return (lp_fail(LP_EX_REFUSED, "kldload %s: %s: %s", path,
	    strerror(e), msg));
}

int
lpb_patches(char **text)
{
	size_t len;
	char *buf;
	int tries;

	*text = NULL;
	for (tries = 0; tries < 8; tries++) {
		len = 0;
		if (sysctlbyname("debug.livepatch.patches", NULL, &len, NULL,
		    0) != 0)
			return (lp_fail(LP_EX_USAGE, "sysctl "
			    "debug.livepatch.patches: %s (is livepatch(4) "
			    "loaded?)", strerror(errno)));
		len += 1024;	/* the list may grow in between */
		buf = malloc(len + 1);
		if (buf == NULL)
			return (lp_fail(LP_EX_USAGE, "out of memory"));
		if (sysctlbyname("debug.livepatch.patches", buf, &len, NULL,
		    0) == 0) {
			buf[len] = '\0';
			*text = buf;
			return (0);
		}
		free(buf);
		if (errno != ENOMEM)
			break;
	}
	return (lp_fail(LP_EX_USAGE, "sysctl debug.livepatch.patches: %s",
	    strerror(errno)));
}

static int
op(const char *oid, const char *name)
{
	char msg[512];
	int e;

	if (sysctlbyname(oid, NULL, NULL, name, strlen(name)) == 0)
		return (0);
	e = errno;
	if (e == ENOENT)
		return (lp_fail(LP_EX_REFUSED, "no patch named '%s' is loaded",
		    name));
	last_error(msg, sizeof(msg));
	return (lp_fail(LP_EX_REFUSED, "%s=%s: %s: %s", oid, name,
	    strerror(e), msg));
}

int
lpb_apply(const char *name)
{
	return (op("debug.livepatch.apply", name));
}

int
lpb_revert(const char *name)
{
	return (op("debug.livepatch.revert", name));
}

int
lpb_unload(const char *name)
{
	char file[LP_NAME_MAX + 4];
	int id;

	snprintf(file, sizeof(file), "%s.ko", name);
	id = kldfind(file);
	if (id < 0)
		return (lp_fail(LP_EX_REFUSED, "kldfind %s: %s", file,
		    strerror(errno)));
	if (kldunload(id) != 0)
		return (lp_fail(LP_EX_REFUSED, "kldunload %s: %s%s", file,
		    strerror(errno), errno == EBUSY ?
		    " (the patch is applied: revert it first)" : ""));
	return (0);
}

int
lpb_loaded(const char *name)
{
	char file[LP_NAME_MAX + 4];

	snprintf(file, sizeof(file), "%s.ko", name);
	return (kldfind(file) >= 0);
}
