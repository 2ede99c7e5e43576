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
 * lpctl: manage live patches in a running uh-host, as fbsd-livepatch(8)
 * does for the kernel.  Exit status: 0 done, 1 usage, 2 the host refused
 * or the operation failed, 3 the host could not be reached.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uh.h"

static void
usage(void)
{
	fprintf(stderr,
	    "usage: lpctl [-s socket] load PATCH.o [--no-apply]\n"
	    "       lpctl [-s socket] apply|revert|unload NAME\n"
	    "       lpctl [-s socket] list|stats\n"
	    "       lpctl [-s socket] host COMMAND [ARG ...]\n"
	    "The socket defaults to $LPCTL_SOCKET or /tmp/uh-host.sock.\n");
	exit(1);
}

int
main(int argc, char **argv)
{
	char req[PATH_MAX + 64], err[512], path[PATH_MAX], *resp;
	const char *sock;
	int ch;

	sock = getenv("LPCTL_SOCKET");
	if (sock == NULL)
		sock = "/tmp/uh-host.sock";
	while ((ch = getopt(argc, argv, "s:h")) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	if (strcmp(argv[0], "load") == 0 && (argc == 2 || (argc == 3 &&
	    strcmp(argv[2], "--no-apply") == 0))) {
		/* The host resolves the path itself: make it absolute. */
		if (realpath(argv[1], path) == NULL) {
			fprintf(stderr, "lpctl: error: %s: cannot open\n",
			    argv[1]);
			return (2);
		}
		snprintf(req, sizeof(req), "load %s%s", path,
		    argc == 3 ? " noapply" : "");
	} else if ((strcmp(argv[0], "apply") == 0 ||
	    strcmp(argv[0], "revert") == 0 ||
	    strcmp(argv[0], "unload") == 0) && argc == 2) {
		if (strpbrk(argv[1], " \t\n") != NULL)
			usage();
		snprintf(req, sizeof(req), "%s %s", argv[0], argv[1]);
	} else if ((strcmp(argv[0], "list") == 0 ||
	    strcmp(argv[0], "stats") == 0) && argc == 1) {
		snprintf(req, sizeof(req), "%s", argv[0]);
	} else if (strcmp(argv[0], "host") == 0 && argc >= 2) {
		/* A command of the host program itself (minikern: call ...). */
		size_t n = 0;
		int i;

		for (i = 1; i < argc; i++) {
			if (strpbrk(argv[i], " \t\n") != NULL ||
			    n + strlen(argv[i]) + 2 > sizeof(req))
				usage();
			n += (size_t)snprintf(req + n, sizeof(req) - n, "%s%s",
			    i > 1 ? " " : "", argv[i]);
		}
	} else
		usage();

	if (uh_client_request(sock, req, &resp, err, sizeof(err)) != 0) {
		fprintf(stderr, "lpctl: error: %s\n", err);
		return (3);
	}
	if (strncmp(resp, "OK\n", 3) == 0) {
		fputs(resp + 3, stdout);
		free(resp);
		return (0);
	}
	fprintf(stderr, "lpctl: error: %s", strncmp(resp, "ERR ", 4) == 0 ?
	    resp + 4 : resp);
	free(resp);
	return (2);
}
