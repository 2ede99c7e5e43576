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

/* Client side of the control socket, shared by lpctl and the tests. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "uh.h"

/*
 * Send one request; *resp gets the whole answer (malloc'd).  Returns 0 when
 * the host was reached, else an errno with err set.
 */
int
uh_client_request(const char *sockpath, const char *req, char **resp,
    char *err, size_t errlen)
{
	struct sockaddr_un sun;
	size_t len, cap;
	ssize_t n;
	char *buf, *nb;
	int fd, e;

	*resp = NULL;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(sockpath) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: socket path too long", sockpath);
		return (ENAMETOOLONG);
	}
	strcpy(sun.sun_path, sockpath);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		e = errno;
		snprintf(err, errlen, "cannot reach the host at %s: %s "
		    "(is uh-host running?)", sockpath, strerror(e));
		if (fd >= 0)
			close(fd);
		return (e);
	}
	len = strlen(req);
	if (write(fd, req, len) != (ssize_t)len || write(fd, "\n", 1) != 1) {
		e = errno;
		snprintf(err, errlen, "%s: write: %s", sockpath, strerror(e));
		close(fd);
		return (e);
	}
	shutdown(fd, SHUT_WR);
	cap = 4096;
	len = 0;
	buf = malloc(cap);
	while (buf != NULL) {
		if (len + 1 >= cap) {
			nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		return (ENOMEM);
	}
	buf[len] = '\0';
	if (len == 0) {
		free(buf);
		snprintf(err, errlen, "%s: the host closed the connection "
		    "without answering", sockpath);
		return (EPIPE);
	}
	*resp = buf;
	return (0);
}
