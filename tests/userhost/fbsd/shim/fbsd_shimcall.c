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
 * A tiny client of the syscall shim for the e2e script:
 *   fbsd-shimcall sysctl NAME | kldfind FILE | kldload PATH |
 *       kldunload FILE | stats | shutdown
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sys/linker.h>
#include <sys/sysctl.h>

int	fbsd_shim_stats(char *buf, size_t len);
int	fbsd_shim_shutdown(void);

int
main(int argc, char **argv)
{
	char buf[65536];
	size_t len;
	int v;

	if (argc == 3 && strcmp(argv[1], "sysctl") == 0) {
		len = sizeof(buf) - 1;
		if (sysctlbyname(argv[2], buf, &len, NULL, 0) != 0) {
			fprintf(stderr, "sysctl %s: %s\n", argv[2],
			    strerror(errno));
			return (1);
		}
		if (len == sizeof(int) && strcmp(argv[2], "kern.osreldate") == 0) {
			memcpy(&v, buf, sizeof(v));
			printf("%d\n", v);
		} else {
			buf[len] = '\0';
			printf("%s\n", buf);
		}
		return (0);
	}
	if (argc == 3 && strcmp(argv[1], "kldfind") == 0) {
		v = kldfind(argv[2]);
		if (v < 0) {
			fprintf(stderr, "kldfind %s: %s\n", argv[2],
			    strerror(errno));
			return (1);
		}
		printf("%d\n", v);
		return (0);
	}
	if (argc == 3 && strcmp(argv[1], "kldload") == 0) {
		v = kldload(argv[2]);
		if (v < 0) {
			fprintf(stderr, "kldload %s: %s\n", argv[2],
			    strerror(errno));
			return (1);
		}
		printf("%d\n", v);
		return (0);
	}
	if (argc == 3 && strcmp(argv[1], "kldunload") == 0) {
		if ((v = kldfind(argv[2])) < 0 || kldunload(v) != 0) {
			fprintf(stderr, "kldunload %s: %s\n", argv[2],
			    strerror(errno));
			return (1);
		}
		return (0);
	}
	if (argc == 2 && strcmp(argv[1], "stats") == 0) {
		if (fbsd_shim_stats(buf, sizeof(buf)) != 0)
			return (1);
		fputs(buf, stdout);
		return (0);
	}
	if (argc == 2 && strcmp(argv[1], "shutdown") == 0)
		return (fbsd_shim_shutdown() != 0);
	fprintf(stderr, "usage: fbsd-shimcall sysctl NAME | kldfind FILE | "
	    "kldload PATH | kldunload FILE | stats | shutdown\n");
	return (2);
}
