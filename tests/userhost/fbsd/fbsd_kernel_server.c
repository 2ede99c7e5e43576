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
 * The personality's test kernel as a process other programs make system
 * calls to: boots (livepatch is not built in; kldload finds livepatch.ko
 * in KLDDIR), runs worker threads over the target functions, and serves
 * the syscall shim's requests (fbsd_rpc.h) on a unix socket, each as a
 * system call of a process named "fbsd-livepatch".  With --park, one more
 * thread sleeps inside lpt_park until shutdown, so that every apply of a
 * patch replacing lpt_park fails its stack check.
 *
 *   fbsd-kernel-server --socket PATH --klddir DIR [--workers N] [--park]
 */

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "fbsd_api.h"
#include "fbsd_rpc.h"
#include "lpt.h"

#define MAXWORKERS	16

static struct lpt_worker workers[MAXWORKERS];
static void *handles[MAXWORKERS];
static int nworkers = 4;
static struct lpt_worker parker;	/* not in the stats */
static void *parker_handle;

static int
serve_one(int fd)
{
	struct fbsd_rpc_req rq;
	struct fbsd_rpc_resp rs;
	char name[4096], *newbuf, *oldbuf, *p;
	fbsd_api_size len;
	int error, id, i, stop;

	stop = 0;
	newbuf = oldbuf = NULL;
	memset(&rs, 0, sizeof(rs));
	if (fbsd_rpc_read(fd, &rq, sizeof(rq)) != 0 ||
	    rq.namelen >= sizeof(name) ||
	    fbsd_rpc_read(fd, name, rq.namelen) != 0)
		return (0);
	name[rq.namelen] = '\0';
	if ((rq.flags & FBSD_RPC_NEW) != 0) {
		if (rq.newlen > FBSD_RPC_MAXDATA)
			return (0);
		newbuf = malloc(rq.newlen + 1);
		if (newbuf == NULL || fbsd_rpc_read(fd, newbuf, rq.newlen) != 0) {
			free(newbuf);
			return (0);
		}
	}
	id = -1;
	error = 0;
	switch (rq.op) {
	case FBSD_RPC_KLDLOAD:
		error = fbsd_api_kldload(name, &id);
		break;
	case FBSD_RPC_KLDUNLOAD:
		error = fbsd_api_kldunload(rq.arg, strcmp(name, "force") == 0);
		id = 0;
		break;
	case FBSD_RPC_KLDFIND:
		error = fbsd_api_kldfind(name, &id);
		break;
	case FBSD_RPC_MODFIND:
		error = fbsd_api_modfind(name, &id);
		break;
	case FBSD_RPC_SYSCTLBYNAME:
		len = rq.oldlen;
		if ((rq.flags & FBSD_RPC_OLDBUF) != 0) {
			if (len > FBSD_RPC_MAXDATA)
				len = FBSD_RPC_MAXDATA;
			oldbuf = malloc(len + 1);
		}
		error = fbsd_api_sysctlbyname(name, oldbuf,
		    (rq.flags & FBSD_RPC_OLDLENP) != 0 ? &len : NULL, newbuf,
		    newbuf != NULL ? rq.newlen : 0);
		id = 0;
		rs.oldlen = len;
		if (oldbuf != NULL && (error == 0 || error == 12))
			rs.datalen = (uint32_t)len;
		break;
	case FBSD_RPC_STATS:
		oldbuf = malloc(64 * MAXWORKERS + 1);
		p = oldbuf;
		for (i = 0; i < nworkers; i++)
			p += sprintf(p, "worker %d value %d iters %lu\n", i,
			    workers[i].value, workers[i].iters);
		rs.datalen = (uint32_t)(p - oldbuf);
		rs.oldlen = rs.datalen;
		id = 0;
		break;
	case FBSD_RPC_SHUTDOWN:
		stop = 1;
		id = 0;
		break;
	default:
		error = 78;	/* ENOSYS */
	}
	rs.error = (uint32_t)error;
	rs.retval = error == 0 ? id : -1;
	(void)fbsd_rpc_write(fd, &rs, sizeof(rs));
	if (rs.datalen > 0)
		(void)fbsd_rpc_write(fd, oldbuf, rs.datalen);
	free(oldbuf);
	free(newbuf);
	return (stop);
}

int
main(int argc, char **argv)
{
	struct sockaddr_un sun;
	const char *sock, *klddir;
	int i, id, lfd, fd, park, stop;

	sock = klddir = NULL;
	park = 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			sock = argv[++i];
		else if (strcmp(argv[i], "--klddir") == 0 && i + 1 < argc)
			klddir = argv[++i];
		else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
			nworkers = atoi(argv[++i]);
		else if (strcmp(argv[i], "--park") == 0)
			park = 1;
		else
			sock = NULL, i = argc;
	}
	if (sock == NULL || klddir == NULL || nworkers < 1 ||
	    nworkers > MAXWORKERS || strlen(sock) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "usage: fbsd-kernel-server --socket PATH "
		    "--klddir DIR [--workers N] [--park]\n");
		return (2);
	}
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);
	fbsd_api_set_comm("fbsd-livepatch");
	if (fbsd_api_boot(4, klddir, 0) != 0)
		return (1);
	for (i = 0; i < nworkers; i++) {
		workers[i].sleeper = i == nworkers - 1;
		if (fbsd_api_kthread(lpt_worker_main, &workers[i], "lptw",
		    &handles[i]) != 0)
			return (1);
	}
	if (park) {
		lpt_park_flag = 1;
		parker.park = 1;
		parker.sleeper = 1;
		if (fbsd_api_kthread(lpt_worker_main, &parker, "lptpark",
		    &parker_handle) != 0)
			return (1);
		while (!lpt_park_inside)
			usleep(1000);
	}
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, sock, strlen(sock) + 1);
	unlink(sock);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(lfd, 8) != 0) {
		perror(sock);
		return (1);
	}
	for (stop = 0; !stop;) {
		fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			perror("accept");
			break;
		}
		stop = serve_one(fd);
		close(fd);
	}
	for (i = 0; i < nworkers; i++)
		workers[i].stop = 1;
	lpt_park_flag = 0;
	parker.stop = 1;
	for (i = 0; i < nworkers; i++)
		(void)fbsd_api_join(handles[i]);
	if (parker_handle != NULL)
		(void)fbsd_api_join(parker_handle);
	/*
	 * livepatch.ko's memory is reachable only from its own mapping,
	 * which the leak checker does not scan: unload it, as the test
	 * kernels do, so that a real leak stands out.
	 */
	if (fbsd_api_kldfind("livepatch.ko", &id) == 0 &&
	    fbsd_api_kldunload(id, 0) != 0)
		fprintf(stderr, "fbsd-kernel-server: livepatch.ko does not "
		    "unload: %s\n", fbsd_api_kld_error());
	close(lfd);
	unlink(sock);
	return (0);
}
