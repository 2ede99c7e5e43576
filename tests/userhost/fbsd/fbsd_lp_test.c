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
 * livepatch.c, unmodified, in the FreeBSD personality: boots a test kernel
 * with worker threads, loads patch klds built from the stub, and drives
 * apply and revert through debug.livepatch.*, checking the workers see the
 * new code, the refusals, and that nothing leaks.
 *
 *   fbsd-lp-test KLDDIR [--livepatch-kld] [--intr-only]
 *
 * With --livepatch-kld the kernel has no livepatch built in: it must come
 * from KLDDIR/livepatch.ko, loaded as the patch modules' dependency.
 * --intr-only runs only the case of a thread preempted in a prologue.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fbsd_api.h"
#include "lpt.h"

#define NWORKERS	4
#define FBSD_ENOENT	2
#define FBSD_EBUSY	16
#define FBSD_EEXIST	17
#define FBSD_ENOEXEC	8
#define FBSD_ENOMEM	12

static int failures;
static const char *klddir;
static struct lpt_worker workers[NWORKERS];
static void *handles[NWORKERS];

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__,	\
		    __LINE__, #c);					\
		failures++;						\
	}								\
} while (0)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static const char *
kld(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s.ko", klddir, name);
	return (buf[i]);
}

/* Every worker reports want within a second. */
static int
wait_value(int want)
{
	double end = now() + 2.0;
	unsigned long seen[NWORKERS];
	int i, all;

	for (i = 0; i < NWORKERS; i++)
		seen[i] = workers[i].iters;
	for (;;) {
		all = 1;
		for (i = 0; i < NWORKERS; i++)
			if (workers[i].iters < seen[i] + 2 ||
			    workers[i].value != want)
				all = 0;
		if (all)
			return (1);
		if (now() > end)
			return (0);
		usleep(1000);
	}
}

static char *
sysctl_str(const char *name)
{
	static char buf[8192];
	fbsd_api_size len = sizeof(buf) - 1;
	int e;

	e = fbsd_api_sysctlbyname(name, buf, &len, NULL, 0);
	if (e != 0) {
		snprintf(buf, sizeof(buf), "(sysctl %s: error %d)", name, e);
		return (buf);
	}
	buf[len < sizeof(buf) ? len : sizeof(buf) - 1] = '\0';
	return (buf);
}

static int
sysctl_set(const char *name, const char *val)
{
	return (fbsd_api_sysctlbyname(name, NULL, NULL, val, strlen(val)));
}

static int
contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		return (1);
	fprintf(stderr, "  expected \"%s\" in:\n%s\n", needle, hay);
	return (0);
}

static void
test_sysctl_semantics(void)
{
	char small[8], buf[256];
	fbsd_api_size len;
	int e;

	/* The length of a string, with its NUL, without a buffer. */
	len = 0;
	CHECK(fbsd_api_sysctlbyname("kern.build_id", NULL, &len, NULL, 0) == 0);
	CHECK(len == 41);
	/* A short buffer: what fits, ENOMEM, and the length copied. */
	len = sizeof(small);
	e = fbsd_api_sysctlbyname("kern.build_id", small, &len, NULL, 0);
	CHECK(e == FBSD_ENOMEM);
	CHECK(len == sizeof(small));
	/* Read-only, unknown, and a node. */
	CHECK(sysctl_set("kern.build_id", "x") == 1 /* EPERM */);
	CHECK(fbsd_api_sysctlbyname("debug.nothing", NULL, &len, NULL, 0) ==
	    FBSD_ENOENT);
	len = sizeof(buf);
	CHECK(fbsd_api_sysctlbyname("debug.livepatch", buf, &len, NULL, 0) ==
	    21 /* EISDIR */);
	/* Too long for the handler's 128-byte buffer. */
	memset(buf, 'a', sizeof(buf));
	CHECK(fbsd_api_sysctlbyname("debug.livepatch.apply", NULL, NULL, buf,
	    200) == 22 /* EINVAL */);
	CHECK(sysctl_set("debug.livepatch.apply", "nosuchpatch") ==
	    FBSD_ENOENT);
}

static void
test_apply_revert(void)
{
	int id, id2;
	char *l;

	fbsd_api_dmesg_clear();
	CHECK(fbsd_api_kldload(kld("value2"), &id) == 0);
	CHECK(wait_value(2));
	l = sysctl_str("debug.livepatch.patches");
	CHECK(contains(l, "value2 applied"));
	CHECK(contains(l, "* lpt_value (lpt_target.c)"));
	CHECK(fbsd_api_modfind("value2", &id2) == 0);
	/* Loaded again: the same file. */
	CHECK(fbsd_api_kldload(kld("value2"), &id2) == FBSD_EEXIST);

	/* Applied: MOD_QUIESCE vetoes the unload, even forced MOD_UNLOAD. */
	CHECK(fbsd_api_kldunload(id, 0) == FBSD_EBUSY);
	CHECK(fbsd_api_kldunload(id, 1) == FBSD_EBUSY);
	CHECK(fbsd_api_kldfind("value2.ko", &id2) == 0 && id2 == id);
	CHECK(wait_value(2));

	CHECK(sysctl_set("debug.livepatch.revert", "value2") == 0);
	CHECK(wait_value(1));
	CHECK(contains(sysctl_str("debug.livepatch.patches"), "value2 loaded"));
	CHECK(sysctl_set("debug.livepatch.apply", "value2") == 0);
	CHECK(wait_value(2));
	CHECK(sysctl_set("debug.livepatch.revert", "value2") == 0);
	CHECK(wait_value(1));
	CHECK(contains(sysctl_str("debug.livepatch.stats"), "applies 2"));

	/* Reverted: the unload goes through. */
	CHECK(fbsd_api_kldunload(id, 0) == 0);
	CHECK(fbsd_api_kldfind("value2.ko", &id2) == FBSD_ENOENT);
	CHECK(fbsd_api_modfind("value2", &id2) == FBSD_ENOENT);
	CHECK(strcmp(sysctl_str("debug.livepatch.patches"), "") == 0);
	CHECK(wait_value(1));
}

static void
test_refusals(int lpkld)
{
	char dmesg[16384];
	int id;

	/* MOD_LOAD fails: the file is unloaded, last_error says why. */
	fbsd_api_dmesg_clear();
	CHECK(fbsd_api_kldload(kld("badbid"), &id) == FBSD_ENOEXEC);
	CHECK(fbsd_api_kldfind("badbid.ko", &id) == FBSD_ENOENT);
	CHECK(contains(sysctl_str("debug.livepatch.last_error"), "build-id"));
	fbsd_api_dmesg(dmesg, sizeof(dmesg));
	CHECK(contains(dmesg, "MOD_LOAD (badbid"));
	CHECK(contains(fbsd_api_kld_error(), "every module failed"));
	CHECK(wait_value(1));

	/*
	 * No MODULE_DEPEND on livepatch.ko: symbols resolve in the file, its
	 * dependencies and the kernel, so livepatch_register is not found
	 * even though livepatch.ko is loaded.  (With livepatch built into
	 * the kernel it is a kernel symbol, and such a module works.)
	 */
	if (lpkld) {
		CHECK(fbsd_api_kldload(kld("nodep"), &id) == FBSD_ENOEXEC);
		CHECK(fbsd_api_kldfind("nodep.ko", &id) == FBSD_ENOENT);
		CHECK(contains(fbsd_api_kld_error(), "link_elf_obj: symbol "
		    "livepatch_"));
		CHECK(contains(fbsd_api_kld_error(), "undefined"));
	} else {
		CHECK(fbsd_api_kldload(kld("nodep"), &id) == 0);
		CHECK(wait_value(2));
		CHECK(sysctl_set("debug.livepatch.revert", "nodep") == 0);
		CHECK(fbsd_api_kldunload(id, 0) == 0);
	}

	/*
	 * No module metadata: FreeBSD loads such a file, and nothing calls
	 * livepatch_register; the tool must notice (fbsd-livepatch load).
	 */
	CHECK(fbsd_api_kldload(kld("nometa"), &id) == 0);
	CHECK(strcmp(sysctl_str("debug.livepatch.patches"), "") == 0);
	CHECK(fbsd_api_kldunload(id, 0) == 0);

	/* A thread asleep inside lpt_park: the apply cannot go through. */
	lpt_park_flag = 1;
	workers[0].park = 1;
	while (!lpt_park_inside)
		usleep(1000);
	CHECK(fbsd_api_kldload(kld("park2"), &id) == FBSD_ENOEXEC);
	CHECK(contains(sysctl_str("debug.livepatch.last_error"), "lpt_park"));
	lpt_park_flag = 0;
	while (lpt_park_inside)
		usleep(1000);
	/* Once it is out, the same module applies. */
	CHECK(fbsd_api_kldload(kld("park2"), &id) == 0);
	CHECK(sysctl_set("debug.livepatch.revert", "park2") == 0);
	CHECK(fbsd_api_kldunload(id, 0) == 0);
}

/*
 * A thread an interrupt preempted in the prologue of pause(9), called
 * from lpt_park: on pause's first instruction, on its push %rbp (after an
 * endbr64), and between the push and mov %rsp,%rbp.  %rbp is still
 * lpt_park's frame, so no frame names lpt_park: only the return address
 * at tf_rsp (or tf_rsp + 8, after the push) does.  Replacing lpt_park
 * must be refused while the thread is there, and go through once it has
 * moved on.
 */
static void
test_intr_prologue(void)
{
	static const unsigned char endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };
	static const unsigned char movrbp[] = { 0x48, 0x89, 0xe5 };
	const unsigned char *f, *pcs[3];
	const char *what[3];
	int i, n, id;

	/* Its link name (__FBSD_KPI: the C library has a pause too). */
	f = fbsd_api_kernel_symbol("fbsd_pause");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	n = 0;
	what[n] = "first instruction";
	pcs[n++] = f;
	if (memcmp(f, endbr64, sizeof(endbr64)) == 0) {
		f += sizeof(endbr64);
		what[n] = "push %rbp";
		pcs[n++] = f;
	}
	CHECK(f[0] == 0x55);
	CHECK(memcmp(f + 1, movrbp, sizeof(movrbp)) == 0);
	if (f[0] != 0x55 || memcmp(f + 1, movrbp, sizeof(movrbp)) != 0) {
		fprintf(stderr, "  pause does not start with push %%rbp; "
		    "mov %%rsp,%%rbp\n");
		return;
	}
	what[n] = "mov %rsp,%rbp";
	pcs[n++] = f + 1;

	for (i = 0; i < n; i++) {
		fprintf(stderr, "interrupt at pause+%d (%s)\n",
		    (int)(pcs[i] - pcs[0]), what[i]);
		lpt_park_flag = 1;
		CHECK(fbsd_api_intr_arm(pcs[i]) == 0);
		workers[0].park_intr = 1;
		CHECK(fbsd_api_intr_wait(5000) == 1);
		/* Nothing else keeps lpt_park on the stack. */
		lpt_park_flag = 0;
		CHECK(fbsd_api_kldload(kld("park2"), &id) == FBSD_ENOEXEC);
		CHECK(contains(sysctl_str("debug.livepatch.last_error"),
		    "is executing lpt_park"));
		if (fbsd_api_kldfind("park2.ko", &id) == 0) {
			/* The apply went through: undo it. */
			(void)sysctl_set("debug.livepatch.revert", "park2");
			(void)fbsd_api_kldunload(id, 0);
		}
		fbsd_api_intr_release();
		while (lpt_park_inside)
			usleep(1000);
		/* It has moved on: the same module applies. */
		CHECK(fbsd_api_kldload(kld("park2"), &id) == 0);
		CHECK(sysctl_set("debug.livepatch.revert", "park2") == 0);
		CHECK(fbsd_api_kldunload(id, 0) == 0);
		CHECK(wait_value(1));
	}
}

int
main(int argc, char **argv)
{
	struct fbsd_api_counters c;
	int i, lpkld, intronly, id;
	long lpmem;

	if (argc < 2) {
		fprintf(stderr, "usage: fbsd-lp-test KLDDIR [--livepatch-kld] "
		    "[--intr-only]\n");
		return (2);
	}
	klddir = argv[1];
	lpkld = intronly = 0;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--livepatch-kld") == 0)
			lpkld = 1;
		else if (strcmp(argv[i], "--intr-only") == 0)
			intronly = 1;
		else {
			fprintf(stderr, "unknown option %s\n", argv[i]);
			return (2);
		}
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	fbsd_api_set_comm("lptest");
	CHECK(fbsd_api_boot(4, klddir, 0) == 0);
	if (lpkld) {
		CHECK(fbsd_api_modfind("livepatch", &id) == FBSD_ENOENT);
		CHECK(strstr(sysctl_str("debug.livepatch.patches"), "error 2") !=
		    NULL);
	} else
		CHECK(fbsd_api_modfind("livepatch", &id) == 0);
	/* What the runtime itself holds; patches must give back the rest. */
	lpmem = fbsd_api_malloc_inuse("livepatch");
	for (i = 0; i < NWORKERS; i++) {
		workers[i].sleeper = i == NWORKERS - 1;
		CHECK(fbsd_api_kthread(lpt_worker_main, &workers[i], "lptw",
		    &handles[i]) == 0);
	}
	CHECK(wait_value(1));
	if (lpkld) {
		/* The first patch pulls livepatch.ko in (MDT_DEPEND). */
		CHECK(fbsd_api_kldload(kld("value2"), &id) == 0);
		CHECK(fbsd_api_modfind("livepatch", &id) == 0);
		CHECK(sysctl_set("debug.livepatch.revert", "value2") == 0);
		CHECK(fbsd_api_kldfind("value2.ko", &id) == 0);
		CHECK(fbsd_api_kldunload(id, 0) == 0);
		/* Dropping the last user unloaded the dependency too. */
		CHECK(fbsd_api_modfind("livepatch", &id) == FBSD_ENOENT);
		CHECK(fbsd_api_kldload("livepatch", &id) == 0);
	}
	if (!intronly) {
		test_sysctl_semantics();
		test_apply_revert();
		test_refusals(lpkld);
	}
	test_intr_prologue();

	for (i = 0; i < NWORKERS; i++)
		workers[i].stop = 1;
	for (i = 0; i < NWORKERS; i++)
		CHECK(fbsd_api_join(handles[i]) == 0);
	fbsd_api_counters(&c);
	printf("rendezvous %lu ipis %lu idle_ipis %lu wp_opens %lu "
	    "switches %lu\n", c.rendezvous, c.ipis, c.idle_ipis, c.wp_opens,
	    c.switches);
	CHECK(c.rendezvous >= (intronly ? 2u : 4u));
	CHECK(c.ipis + c.idle_ipis >= 3 * c.rendezvous);
	CHECK(c.wp_opens > 0);
	if (lpkld) {
		CHECK(fbsd_api_kldfind("livepatch.ko", &id) == 0);
		CHECK(fbsd_api_kldunload(id, 0) == 0);
		CHECK(fbsd_api_modfind("livepatch", &id) == FBSD_ENOENT);
	} else
		CHECK(fbsd_api_malloc_inuse("livepatch") == lpmem);
	if (failures != 0) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return (1);
	}
	printf("ok\n");
	return (0);
}
