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

/* Error messages and whole-file I/O. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lp.h"

char lp_errmsg[1024];

int
lp_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lp_errmsg, sizeof(lp_errmsg), fmt, ap);
	va_end(ap);
	return (code);
}

int
lp_read_file(const char *path, size_t max, uint8_t **datap, size_t *lenp)
{
	struct stat st;
	uint8_t *buf;
	size_t got;
	ssize_t n;
	int fd;

	*datap = NULL;
	*lenp = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (lp_fail(LP_EX_USAGE, "%s: cannot open: %s", path,
		    strerror(errno)));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return (lp_fail(LP_EX_USAGE, "%s: not a regular file", path));
	}
	if ((uintmax_t)st.st_size > max) {
		close(fd);
		return (lp_fail(LP_EX_VERIFY, "%s: larger than %zu bytes", path,
		    max));
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return (lp_fail(LP_EX_USAGE, "%s: out of memory", path));
	}
	for (got = 0; got < (size_t)st.st_size; got += (size_t)n) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		free(buf);
		return (lp_fail(LP_EX_USAGE, "%s: read error", path));
	}
	buf[got] = '\0';
	*datap = buf;
	*lenp = got;
	return (0);
}

/* Write to a temporary file beside path, then rename it into place. */
int
lp_write_file(const char *path, const uint8_t *data, size_t len)
{
	char tmp[1100];
	size_t done;
	ssize_t n;
	int bad, fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >=
	    (int)sizeof(tmp))
		return (lp_fail(LP_EX_USAGE, "%s: path too long", path));
	fd = mkstemp(tmp);
	if (fd < 0)
		return (lp_fail(LP_EX_USAGE, "%s: cannot create: %s", tmp,
		    strerror(errno)));
	for (done = 0; done < len; done += (size_t)n) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			break;
	}
	bad = done != len || fchmod(fd, 0600) != 0 || fsync(fd) != 0;
	if (close(fd) != 0)
		bad = 1;
	if (bad) {
		unlink(tmp);
		return (lp_fail(LP_EX_USAGE, "%s: write error: %s", tmp,
		    strerror(errno)));
	}
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return (lp_fail(LP_EX_USAGE, "%s: cannot rename into place: %s",
		    path, strerror(errno)));
	}
	return (0);
}

void
lp_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}
