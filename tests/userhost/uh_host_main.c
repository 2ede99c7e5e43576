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
 * uh-host: a Linux process that plays the kernel for the runtime tests.  It
 * contains the runtime core, the loader, the Linux platform and the target
 * functions of target/, runs worker threads that call those functions in
 * tight loops, and serves the control socket that lpctl and the tests use.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "uh.h"
#include "target/target.h"

#define UH_MAX_WORKERS	64

struct worker {
	pthread_t		th;
	int			id;
	struct lp_counter	c;
	uint64_t		iters;
	int			value;
	int			cet;
};

static struct worker workers[UH_MAX_WORKERS];
static int nworkers;
static int worker_nice;
static int workers_stop;
static int workers_running;
static pthread_t parker;
static int parker_started;
static pthread_mutex_t park_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cv = PTHREAD_COND_INITIALIZER;
static int park_requested;

/* Work outside the patched functions, so that threads are not always in them. */
static void
busy(int n)
{
	int i;

	for (i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory");
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	char name[16];
	int v;

	snprintf(name, sizeof(name), "uh-worker-%d", w->id);
	uh_thread_register(name);
	/*
	 * Optionally yield the CPU to the control thread first: on a small
	 * machine the stop-machine is otherwise dominated by the time the
	 * initiator waits for a time slice among the busy workers.
	 */
	if (worker_nice > 0)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
		    worker_nice);
	while (!__atomic_load_n(&workers_stop, __ATOMIC_RELAXED)) {
		v = lp_value();
		__atomic_store_n(&w->value, v, __ATOMIC_RELAXED);
		lp_count(&w->c);
		v = lp_cet_ptr(1);
		__atomic_store_n(&w->cet, v, __ATOMIC_RELAXED);
		__atomic_store_n(&w->iters, w->iters + 1, __ATOMIC_RELAXED);
		busy(200);
	}
	uh_thread_unregister();
	return (NULL);
}

static void *
parker_main(void *arg)
{
	(void)arg;
	uh_thread_register("uh-parker");
	pthread_mutex_lock(&park_mtx);
	for (;;) {
		while (!park_requested)
			pthread_cond_wait(&park_cv, &park_mtx);
		park_requested = 0;
		pthread_mutex_unlock(&park_mtx);
		(void)lp_park();
		pthread_mutex_lock(&park_mtx);
	}
	return (NULL);
}

static int
wait_flag(volatile int *flag, int want)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 2000 && *flag != want; i++)
		nanosleep(&ts, NULL);
	return (*flag == want ? 0 : ETIMEDOUT);
}

static int
host_cmd(int argc, char **argv, char *out, size_t len)
{
	size_t n;
	int i;

	if (strcmp(argv[0], "stats") == 0) {
		n = 0;
		for (i = 0; i < nworkers && n < len; i++)
			n += (size_t)snprintf(out + n, len - n,
			    "worker %d iters %lu count %lu value %d "
			    "version %u cet %d\n", i,
			    (unsigned long)__atomic_load_n(&workers[i].iters,
			    __ATOMIC_RELAXED),
			    (unsigned long)workers[i].c.n,
			    __atomic_load_n(&workers[i].value,
			    __ATOMIC_RELAXED), workers[i].c.version,
			    __atomic_load_n(&workers[i].cet,
			    __ATOMIC_RELAXED));
		if (n < len)
			snprintf(out + n, len - n, "workers_running %d\n"
			    "hooks %d %d %d %d\npark_inside %d\n"
			    "rendezvous_ns %lu\n", workers_running,
			    lp_hook_calls[0], lp_hook_calls[1],
			    lp_hook_calls[2], lp_hook_calls[3],
			    lp_park_inside,
			    (unsigned long)uh_last_rendezvous_ns());
		return (0);
	}
	if (strcmp(argv[0], "park") == 0 && argc == 1) {
		if (!parker_started) {
			if (pthread_create(&parker, NULL, parker_main,
			    NULL) != 0) {
				snprintf(out, len, "cannot start parker");
				return (1);
			}
			parker_started = 1;
		}
		lp_park_flag = 1;
		pthread_mutex_lock(&park_mtx);
		park_requested = 1;
		pthread_cond_signal(&park_cv);
		pthread_mutex_unlock(&park_mtx);
		if (wait_flag(&lp_park_inside, 1) != 0) {
			snprintf(out, len, "parker did not enter lp_park");
			return (1);
		}
		snprintf(out, len, "parked\n");
		return (0);
	}
	if (strcmp(argv[0], "unpark") == 0 && argc == 1) {
		lp_park_flag = 0;
		if (wait_flag(&lp_park_inside, 0) != 0) {
			snprintf(out, len, "parker did not leave lp_park");
			return (1);
		}
		snprintf(out, len, "unparked\n");
		return (0);
	}
	if (strcmp(argv[0], "stopworkers") == 0 && argc == 1) {
		__atomic_store_n(&workers_stop, 1, __ATOMIC_RELAXED);
		for (i = 0; i < nworkers && workers_running; i++)
			pthread_join(workers[i].th, NULL);
		workers_running = 0;
		snprintf(out, len, "stopped\n");
		return (0);
	}
	if (strcmp(argv[0], "peek") == 0 && argc == 2) {
		/* The first bytes of a target function, to see the jump. */
		const unsigned char *f;

		if (strcmp(argv[1], "lp_cet_value") == 0)
			f = (const unsigned char *)lp_cet_value;
		else if (strcmp(argv[1], "lp_value") == 0)
			f = (const unsigned char *)lp_value;
		else {
			snprintf(out, len, "no such target function");
			return (1);
		}
		snprintf(out, len, "%02x %02x %02x %02x %02x %02x %02x %02x "
		    "%02x\n", f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7],
		    f[8]);
		return (0);
	}
	if (strcmp(argv[0], "call") == 0 && argc == 2) {
		/* Call a target function from the control thread. */
		if (strcmp(argv[1], "lp_tiny") == 0)
			snprintf(out, len, "%d\n", lp_tiny());
		else if (strcmp(argv[1], "lp_denied_fn") == 0)
			snprintf(out, len, "%d\n", lp_denied_fn(1));
		else if (strcmp(argv[1], "lp_value") == 0)
			snprintf(out, len, "%d\n", lp_value());
		else {
			snprintf(out, len, "no such target function");
			return (1);
		}
		return (0);
	}
	return (-1);
}

int
main(int argc, char **argv)
{
	struct fbsdlp_platform pl;
	struct uh_symtab tab;
	struct fbsdlp_rt *rt;
	const char *sock;
	char err[512];
	int i, error;

	sock = NULL;
	nworkers = 4;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
			sock = argv[++i];
		else if (strcmp(argv[i], "--workers") == 0 && i + 1 < argc)
			nworkers = atoi(argv[++i]);
		else if (strcmp(argv[i], "--worker-nice") == 0 &&
		    i + 1 < argc)
			worker_nice = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: uh-host --socket PATH "
			    "[--workers N] [--worker-nice N]\n");
			return (1);
		}
	}
	if (sock == NULL || nworkers < 0 || nworkers > UH_MAX_WORKERS) {
		fprintf(stderr, "usage: uh-host --socket PATH [--workers N] "
		    "(N <= %d)\n", UH_MAX_WORKERS);
		return (1);
	}
	if (uh_symtab_load("/proc/self/exe", &tab, err, sizeof(err)) != 0 ||
	    uh_platform_init(&pl, &tab, err, sizeof(err)) != 0) {
		fprintf(stderr, "uh-host: %s\n", err);
		return (1);
	}
	uh_deny_add((const void *)lp_denied_fn,
	    "userhost: stands for the platform's rendezvous path");
	if ((error = fbsdlp_rt_create(&pl, &rt)) != 0) {
		fprintf(stderr, "uh-host: cannot create the runtime: %d\n",
		    error);
		return (1);
	}
	uh_thread_register("uh-control");
	for (i = 0; i < nworkers; i++) {
		workers[i].id = i;
		if (pthread_create(&workers[i].th, NULL, worker_main,
		    &workers[i]) != 0) {
			fprintf(stderr, "uh-host: cannot start workers\n");
			return (1);
		}
	}
	workers_running = 1;
	error = uh_server_run(sock, rt, &tab, host_cmd);
	__atomic_store_n(&workers_stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < nworkers && workers_running; i++)
		pthread_join(workers[i].th, NULL);
	return (error != 0 ? 1 : 0);
}
