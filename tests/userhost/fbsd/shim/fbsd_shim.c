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
 * The syscall shim: kldload(2), kldunload(2), kldunloadf(2), kldfind(2),
 * modfind(2) and sysctlbyname(3) for a program built on Linux, made as
 * requests to the personality's kernel over $FBSD_PERSONALITY_SOCKET.
 * Return values and errno follow the FreeBSD calls (errno translated to
 * the host's numbering, so that strerror() reads right).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <sys/linker.h>
#include <sys/module.h>
#include <sys/sysctl.h>

#include "fbsd_rpc.h"

static int
shim_connect(void)
{
	struct sockaddr_un sun;
	const char *path;
	int fd;

	path = getenv("FBSD_PERSONALITY_SOCKET");
	if (path == NULL || *path == '\0' ||
	    strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "fbsd shim: FBSD_PERSONALITY_SOCKET is not set "
		    "(the personality kernel's socket)\n");
		errno = ENOSYS;
		return (-1);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return (-1);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		close(fd);
		errno = ENOSYS;
		return (-1);
	}
	return (fd);
}

/* One system call; -1 with errno set on failure, else retval. */
static int
shim_call(uint32_t op, int32_t arg, const char *name, void *old,
    size_t *oldlenp, const void *new, size_t newlen)
{
	struct fbsd_rpc_req rq;
	struct fbsd_rpc_resp rs;
	char *data;
	int fd, e;

	fd = shim_connect();
	if (fd < 0)
		return (-1);
	memset(&rq, 0, sizeof(rq));
	rq.op = op;
	rq.arg = arg;
	rq.namelen = name != NULL ? (uint32_t)strlen(name) : 0;
	if (oldlenp != NULL) {
		rq.flags |= FBSD_RPC_OLDLENP;
		rq.oldlen = *oldlenp;
		if (old != NULL)
			rq.flags |= FBSD_RPC_OLDBUF;
	}
	if (new != NULL) {
		if (newlen > FBSD_RPC_MAXDATA) {
			close(fd);
			errno = E2BIG;
			return (-1);
		}
		rq.flags |= FBSD_RPC_NEW;
		rq.newlen = (uint32_t)newlen;
	}
	if (fbsd_rpc_write(fd, &rq, sizeof(rq)) != 0 ||
	    fbsd_rpc_write(fd, name, rq.namelen) != 0 ||
	    (new != NULL && fbsd_rpc_write(fd, new, newlen) != 0) ||
	    fbsd_rpc_read(fd, &rs, sizeof(rs)) != 0 ||
	    rs.datalen > FBSD_RPC_MAXDATA) {
		close(fd);
		errno = EIO;
		return (-1);
	}
	data = NULL;
	if (rs.datalen > 0) {
		data = malloc(rs.datalen);
		if (data == NULL || fbsd_rpc_read(fd, data, rs.datalen) != 0) {
			free(data);
			close(fd);
			errno = EIO;
			return (-1);
		}
		if (old != NULL && oldlenp != NULL)
			memcpy(old, data, rs.datalen < *oldlenp ? rs.datalen :
			    *oldlenp);
		free(data);
	}
	close(fd);
	if (oldlenp != NULL && (rs.error == 0 || rs.error == 12 /* ENOMEM */))
		*oldlenp = (size_t)rs.oldlen;
	if (rs.error != 0) {
		e = fbsd_rpc_host_errno((int)rs.error);
		errno = e;
		return (-1);
	}
	return (rs.retval);
}

int
kldload(const char *file)
{
	return (shim_call(FBSD_RPC_KLDLOAD, 0, file, NULL, NULL, NULL, 0));
}

int
kldunload(int fileid)
{
	return (shim_call(FBSD_RPC_KLDUNLOAD, fileid, "", NULL, NULL, NULL, 0));
}

int
kldunloadf(int fileid, int flags)
{
	return (shim_call(FBSD_RPC_KLDUNLOAD, fileid, flags != 0 ? "force" : "",
	    NULL, NULL, NULL, 0));
}

int
kldfind(const char *file)
{
	return (shim_call(FBSD_RPC_KLDFIND, 0, file, NULL, NULL, NULL, 0));
}

int
modfind(const char *modname)
{
	return (shim_call(FBSD_RPC_MODFIND, 0, modname, NULL, NULL, NULL, 0));
}

int
sysctlbyname(const char *name, void *oldp, size_t *oldlenp, const void *newp,
    size_t newlen)
{
	return (shim_call(FBSD_RPC_SYSCTLBYNAME, 0, name, oldp, oldlenp, newp,
	    newlen) < 0 ? -1 : 0);
}

/* Test-kernel requests that are no FreeBSD system call. */
int	fbsd_shim_stats(char *buf, size_t len);
int	fbsd_shim_shutdown(void);

int
fbsd_shim_stats(char *buf, size_t len)
{
	size_t n = len - 1;

	if (shim_call(FBSD_RPC_STATS, 0, "", buf, &n, NULL, 0) < 0)
		return (-1);
	buf[n < len ? n : len - 1] = '\0';
	return (0);
}

int
fbsd_shim_shutdown(void)
{
	return (shim_call(FBSD_RPC_SHUTDOWN, 0, "", NULL, NULL, NULL, 0) < 0 ?
	    -1 : 0);
}
