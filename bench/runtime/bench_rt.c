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
 * bench-runtime: the runtime core hosted in a Linux process, as in
 * tests/userhost (same loader, platform and signal rendezvous), measuring
 *
 *  (a) the stop window: how long every thread is held in the rendezvous
 *      while a patch replacing N functions is applied, against an empty
 *      rendezvous (same threads, no check, no action) in the same run;
 *  (b) the per-call cost of calling a patched function through the jump
 *      written at its entry against calling the new function directly.
 *
 *	bench-runtime [-w WORKERS] [-r RUNS] [-c CALLS] [-n NICE] PATCH.o...
 *
 * Each PATCH.o is an ET_REL made by bench/runtime.sh with fbsd-patchgen
 * from bench_funcs.c; its label is its file name.  Per-call (b) uses the
 * first patch.  Run by bench/runtime.sh, never by ctest.
 *
 * "held" is measured around the platform's stop_machine: from its call
 * (signals about to be sent) to the end of the action, after which the
 * threads are released; "gather" is the part until every thread arrived
 * and "action" the core's jump writes, of which "text_wr" is spent in the
 * platform's text_write (mprotect, memcpy, mprotect, cpuid per jump).  "rv" is uh_last_rendezvous_ns(),
 * which ends only when the initiator runs again after waking the threads,
 * and so on a small machine mostly measures the scheduler.
 */

#define _GNU_SOURCE
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
#include "fbsdlp_platform.h"

/* bench_tab.c, generated. */
extern const int bf_n;
extern int (*const bf_table[])(int);

#define MAX_WORKERS	64
#define MAX_RUNS	101

static int workers_stop;
static int workers_pause;
static int worker_nice;
static uint64_t worker_iters[MAX_WORKERS];

static void
busy(int n)
{
	int i;

	for (i = 0; i < n; i++)
		__asm__ __volatile__("" ::: "memory");
}

/*
 * A busy "kernel thread": calls the patched functions, one per round,
 * between stretches of other work.
 */
static void *
worker_main(void *arg)
{
	struct timespec ts = { 0, 1000000 };
	int id = (int)(intptr_t)arg;
	uint64_t it;
	char name[16];
	int s;

	snprintf(name, sizeof(name), "bench-w%d", id);
	uh_thread_register(name);
	if (worker_nice > 0)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid),
		    worker_nice);
	s = 0;
	for (it = 0; !__atomic_load_n(&workers_stop, __ATOMIC_RELAXED); it++) {
		if (__atomic_load_n(&workers_pause, __ATOMIC_RELAXED)) {
			nanosleep(&ts, NULL);
			continue;
		}
		s += bf_table[it % (uint64_t)bf_n]((int)it);
		busy(500);
		__atomic_store_n(&worker_iters[id], it, __ATOMIC_RELAXED);
	}
	uh_thread_unregister();
	return ((void *)(intptr_t)s);
}

static int
noop_check(void *arg, const fbsdlp_u64 *pcs, fbsdlp_u32 npcs,
    fbsdlp_u32 flags, const char *who)
{
	(void)arg; (void)pcs; (void)npcs; (void)flags; (void)who;
	return (0);
}

static int
noop_action(void *arg)
{
	(void)arg;
	return (0);
}

/*
 * Apply or revert, trying the whole operation again if the core gave up
 * (a worker preempted inside a replaced function can stay there through
 * all of the core's attempts when 8 threads share 2 CPUs).
 */
static int nbusy;

static int
op(struct fbsdlp_rt *rt, struct fbsdlp_patch *p, int apply)
{
	int error, i;

	for (i = 0; i < 5; i++) {
		error = apply ? fbsdlp_apply(rt, p) : fbsdlp_revert(rt, p);
		if (error == 0)
			return (0);
		nbusy++;
		usleep(10000);
	}
	fprintf(stderr, "bench-runtime: %s: %s\n", apply ? "apply" :
	    "revert", fbsdlp_last_error(rt));
	exit(1);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x < y ? -1 : x > y);
}

static uint64_t
median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

static const char *
label(const char *path)
{
	const char *s = strrchr(path, '/');

	return (s != NULL ? s + 1 : path);
}

/*
 * The platform's stop_machine, wrapped to time the action alone (the jump
 * writes of an apply), which runs while every other thread is held.
 */
static int (*real_stop_machine)(void *, const struct fbsdlp_stop_ops *);
static const struct fbsdlp_stop_ops *inner_ops;
static uint64_t last_action_ns, last_gather_ns, last_tw_ns, sm_t0, tw_ns;

static int
timed_action(void *arg)
{
	uint64_t t0;
	int error;

	(void)arg;
	t0 = now_ns();
	tw_ns = 0;
	last_gather_ns = t0 - sm_t0;
	error = inner_ops->action(inner_ops->arg);
	last_action_ns = now_ns() - t0;
	last_tw_ns = tw_ns;
	return (error);
}

static int
timed_check(void *arg, const fbsdlp_u64 *pcs, fbsdlp_u32 npcs,
    fbsdlp_u32 flags, const char *who)
{
	(void)arg;
	return (inner_ops->check(inner_ops->arg, pcs, npcs, flags, who));
}

static int
timed_stop_machine(void *ctx, const struct fbsdlp_stop_ops *ops)
{
	struct fbsdlp_stop_ops w = { timed_check, timed_action, NULL };

	inner_ops = ops;	/* the core runs one stop-machine at a time */
	sm_t0 = now_ns();
	return (real_stop_machine(ctx, &w));
}

/* The platform's text_write, wrapped to sum its time within an action. */
static int (*real_text_write)(void *, void *, const void *, fbsdlp_size);

static int
timed_text_write(void *ctx, void *dst, const void *src, fbsdlp_size len)
{
	uint64_t t0;
	int error;

	t0 = now_ns();
	error = real_text_write(ctx, dst, src, len);
	tw_ns += now_ns() - t0;
	return (error);
}

/* One empty rendezvous: the same signal round, nothing checked or done. */
static uint64_t
empty_rendezvous(struct fbsdlp_platform *pl)
{
	struct fbsdlp_stop_ops ops = { noop_check, noop_action, NULL };

	(void)pl;
	if (timed_stop_machine(pl->ctx, &ops) != 0) {
		fprintf(stderr, "bench-runtime: empty rendezvous failed\n");
		exit(1);
	}
	return (uh_last_rendezvous_ns());
}

/* ns per call of f over ncalls calls, through an opaque pointer. */
static __attribute__((noinline)) double
time_calls(int (*volatile *fp)(int), long ncalls)
{
	int (*f)(int) = *fp;
	uint64_t t0, t1;
	long i;
	int s = 0;

	t0 = now_ns();
	for (i = 0; i < ncalls; i++)
		s += f((int)i);
	t1 = now_ns();
	__asm__ __volatile__("" :: "r"(s));
	return ((double)(t1 - t0) / (double)ncalls);
}

static int
cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

int
main(int argc, char **argv)
{
	static uint64_t emp[MAX_RUNS], win[MAX_RUNS];
	static uint64_t act[MAX_RUNS], gat[MAX_RUNS], erv[MAX_RUNS];
	static uint64_t wrv[MAX_RUNS], twr[MAX_RUNS], ntw[MAX_RUNS];
	double emin, wmin;
	static pthread_t th[MAX_WORKERS];
	struct fbsdlp_platform pl;
	struct fbsdlp_func_status fs;
	struct fbsdlp_stats st;
	struct uh_symtab tab;
	struct uh_module *m;
	struct fbsdlp_patch *p, *first;
	struct uh_module *firstm;
	struct fbsdlp_rt *rt;
	int (*volatile fp)(int);
	char err[512];
	double tr[MAX_RUNS], di[MAX_RUNS], ratio_c;
	uint64_t e, w, attempts, me;
	long ncalls;
	int ch, i, k, nf, nworkers, runs, error, crounds;

	first = NULL;
	firstm = NULL;
	nworkers = 8;
	runs = 15;
	ncalls = 10000000;
	while ((ch = getopt(argc, argv, "c:n:r:w:")) != -1) {
		switch (ch) {
		case 'c': ncalls = atol(optarg); break;
		case 'n': worker_nice = atoi(optarg); break;
		case 'r': runs = atoi(optarg); break;
		case 'w': nworkers = atoi(optarg); break;
		default: optind = argc + 1; break;
		}
	}
	if (optind >= argc || nworkers < 0 || nworkers > MAX_WORKERS ||
	    runs < 1 || runs > MAX_RUNS || ncalls < 1) {
		fprintf(stderr, "usage: bench-runtime [-w workers] [-r runs] "
		    "[-c calls] [-n worker-nice] patch.o...\n");
		return (2);
	}
	if (uh_symtab_load("/proc/self/exe", &tab, err, sizeof(err)) != 0 ||
	    uh_platform_init(&pl, &tab, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench-runtime: %s\n", err);
		return (1);
	}
	real_stop_machine = pl.stop_machine;
	pl.stop_machine = timed_stop_machine;
	real_text_write = pl.text_write;
	pl.text_write = timed_text_write;
	if ((error = fbsdlp_rt_create(&pl, &rt)) != 0) {
		fprintf(stderr, "bench-runtime: runtime: %d\n", error);
		return (1);
	}
	uh_thread_register("bench-control");
	for (i = 0; i < nworkers; i++)
		if (pthread_create(&th[i], NULL, worker_main,
		    (void *)(intptr_t)i) != 0) {
			fprintf(stderr, "bench-runtime: cannot start workers\n");
			return (1);
		}
	usleep(100000);		/* let every worker get going */
	for (i = 0; i < 5; i++)	/* warm up the signal path */
		(void)empty_rendezvous(&pl);

	printf("stop window, %d busy workers, median of %d runs (us):\n"
	    "  held = signals sent until the action ends (all threads "
	    "held), ratio = apply/empty\n  rv = the platform's figure, "
	    "which also counts the initiator's own\n  wait for the CPU after "
	    "waking the threads; no_tw = (held - text_wr) / empty\n",
	    nworkers, runs);
	printf("%-8s %5s %10s %10s %7s %7s %9s %9s %9s %7s %9s %9s %5s\n",
	    "patch", "funcs", "empty_held", "apply_held", "ratio", "min/min",
	    "gather", "action", "text_wr", "no_tw", "empty_rv", "apply_rv",
	    "tries");
	for (k = optind; k < argc; k++) {
		if (uh_load_file(argv[k], &tab, &m, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench-runtime: %s: %s\n", argv[k],
			    err);
			return (1);
		}
		if (fbsdlp_register(rt, &m->img, &p) != 0) {
			fprintf(stderr, "bench-runtime: %s: %s\n", argv[k],
			    fbsdlp_last_error(rt));
			return (1);
		}
		for (nf = 0; fbsdlp_func_status(p, (uint32_t)nf, &fs) == 0; nf++)
			;
		attempts = 0;
		/* Interleave: empty, apply, revert, so drift hits both. */
		for (i = 0; i < runs; i++) {
			erv[i] = empty_rendezvous(&pl);
			emp[i] = last_gather_ns + last_action_ns;
			(void)op(rt, p, 1);
			wrv[i] = uh_last_rendezvous_ns();
			act[i] = last_action_ns;
			twr[i] = last_tw_ns;
			gat[i] = last_gather_ns;
			win[i] = last_gather_ns + last_action_ns;
			ntw[i] = win[i] - last_tw_ns;
			fbsdlp_get_stats(rt, &st);
			attempts += st.last_attempts;
			(void)op(rt, p, 0);
		}
		e = median(emp, runs);
		emin = (double)emp[0];
		w = median(win, runs);
		wmin = (double)win[0];
		printf("%-8s %5d %10.1f %10.1f %6.2fx %6.2fx %9.1f %9.1f "
		    "%9.1f %6.2fx %9.1f %9.1f %5.2f\n", label(argv[k]), nf, (double)e / 1e3,
		    (double)w / 1e3, (double)w / (double)e, wmin / emin,
		    (double)median(gat, runs) / 1e3,
		    (double)median(act, runs) / 1e3,
		    (double)median(twr, runs) / 1e3,
		    (double)median(ntw, runs) / (double)e,
		    (double)median(erv, runs) / 1e3,
		    (double)median(wrv, runs) / 1e3,
		    (double)attempts / runs);
		if (k != optind) {
			(void)fbsdlp_unregister(rt, p);
			uh_unload(m);
			continue;
		}
		first = p;
		firstm = m;
	}

	/*
	 * (b) Per-call cost, with the first patch applied and the workers
	 * paused (on a small machine they would otherwise take the CPU).
	 */
	__atomic_store_n(&workers_pause, 1, __ATOMIC_RELAXED);
	usleep(20000);
	if (fbsdlp_apply(rt, first) != 0 ||
	    fbsdlp_func_status(first, 0, &fs) != 0 || fs.old_addr == 0) {
		fprintf(stderr, "bench-runtime: per-call: %s\n",
		    fbsdlp_last_error(rt));
		return (1);
	}
	crounds = runs < 5 ? 5 : runs;
	for (i = 0; i < crounds; i++) {
		fp = (int (*)(int))(uintptr_t)fs.old_addr;
		tr[i] = time_calls(&fp, ncalls);
		fp = (int (*)(int))(uintptr_t)fs.new_addr;
		di[i] = time_calls(&fp, ncalls);
	}
	qsort(tr, (size_t)crounds, sizeof(double), cmp_dbl);
	qsort(di, (size_t)crounds, sizeof(double), cmp_dbl);
	ratio_c = tr[crounds / 2] / di[crounds / 2];
	printf("\nper-call: %s (%s) %ld calls x %d rounds, median ns/call\n",
	    fs.name, label(argv[optind]), ncalls, crounds);
	printf("%-24s %10.3f\n%-24s %10.3f\n%-24s %9.3fx\n",
	    "via trampoline (old)", tr[crounds / 2],
	    "direct (new)", di[crounds / 2], "ratio", ratio_c);
	(void)fbsdlp_revert(rt, first);
	(void)fbsdlp_unregister(rt, first);
	uh_unload(firstm);
	__atomic_store_n(&workers_stop, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&workers_pause, 0, __ATOMIC_RELAXED);
	for (i = 0; i < nworkers; i++)
		pthread_join(th[i], NULL);
	for (i = 0, me = 0; i < nworkers; i++)
		me += worker_iters[i];
	printf("\nworker iterations: %lu; operations that the core gave up "
	    "and were redone: %d\n", (unsigned long)me, nbusy);
	return (0);
}
