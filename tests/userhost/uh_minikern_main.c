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
 * The main program of the hosted minikern under the userspace host: linked
 * into tests/minikern's kernel.hosted (HOSTED_MAIN=no, HOSTED_LIBS=the
 * uh-hostlib archive), it sets up the live-patch runtime for the process,
 * boots minikern with its clock and worker threads, and serves the control
 * socket.  lpctl's commands (load, list, stats, revert, ...) go to the
 * runtime; the others (call, sysctl, version, help) go to minikern.
 *
 *	kernel.hosted [-q] -s SOCKET [-w WORKERS]
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "uh.h"

/* tests/minikern/hosted/main.c and hosted_rt.c. */
int	minikern_boot(int nworkers);
int	minikern_hostcmd(int argc, char **argv, char *out, size_t len);
extern int hosted_quiet;

int
main(int argc, char **argv)
{
	struct fbsdlp_platform pl;
	struct uh_symtab tab;
	struct fbsdlp_rt *rt;
	const char *sock;
	char err[512];
	int ch, nworkers, error;

	sock = NULL;
	nworkers = 3;
	while ((ch = getopt(argc, argv, "qs:w:")) != -1) {
		switch (ch) {
		case 'q':
			hosted_quiet = 1;
			break;
		case 's':
			sock = optarg;
			break;
		case 'w':
			nworkers = atoi(optarg);
			break;
		default:
			sock = NULL;
			optind = argc + 1;
			break;
		}
	}
	if (sock == NULL || optind != argc || nworkers < 0) {
		fprintf(stderr, "usage: kernel.hosted [-q] -s socket "
		    "[-w workers]\n");
		return (1);
	}
	if (uh_symtab_load("/proc/self/exe", &tab, err, sizeof(err)) != 0 ||
	    uh_platform_init(&pl, &tab, err, sizeof(err)) != 0) {
		fprintf(stderr, "kernel.hosted: %s\n", err);
		return (1);
	}
	if ((error = fbsdlp_rt_create(&pl, &rt)) != 0) {
		fprintf(stderr, "kernel.hosted: cannot create the live-patch "
		    "runtime: %d\n", error);
		return (1);
	}
	/* The control thread applies patches and calls kernel code. */
	uh_thread_register("minikern-control");
	if (minikern_boot(nworkers) != 0) {
		fprintf(stderr, "kernel.hosted: cannot boot minikern\n");
		return (1);
	}
	error = uh_server_run(sock, rt, &tab, minikern_hostcmd);
	/* The kernel threads still run: leave without running destructors. */
	fflush(NULL);
	_exit(error != 0 ? 1 : 0);
}
