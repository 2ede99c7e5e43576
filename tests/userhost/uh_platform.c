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
 * The platform on Linux: the test host's stand-in for livepatch.ko's use
 * of smp_rendezvous, stack(9), disable_wp and the kernel linker.
 *
 * Stop-the-world is a signal rendezvous: the initiator sends SIGUSR2 to
 * every other thread of the process; each one, in its handler, walks its
 * own interrupted context (the RIP and frame-pointer chain in its ucontext)
 * through the core's check, announces its arrival and waits.  With every
 * thread parked the initiator runs the action, which writes the text, and
 * then releases them; each executes cpuid, a serialising instruction, before
 * it returns to code that may have been modified.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "uh.h"

#define UH_SIG		SIGUSR2
#define UH_MAX_FRAMES	64
#define UH_MAX_THREADS	1024
#define UH_MAX_DENY	32
#define UH_GATHER_NS	1000000000ull	/* a thread that does not arrive */

/* Stack bounds of the current thread, read by its own signal handler. */
static __thread uintptr_t uh_stk_lo, uh_stk_hi;
static __thread char uh_who[64];

static struct uh_symtab *uh_tab;
static pthread_mutex_t uh_stop_mtx = PTHREAD_MUTEX_INITIALIZER;
static struct fbsdlp_deny uh_deny[UH_MAX_DENY];
static uint32_t uh_ndeny;
static int uh_fail_after = -1;
static uint64_t uh_rv_ns;

/*
 * Rendezvous state.  seq is odd while threads gather; inflight counts
 * handlers that may still look at ops, so a round ends only when no
 * handler can touch its plan any more.
 */
static struct {
	uint32_t	seq;
	uint32_t	arrived;
	uint32_t	inflight;
	const struct fbsdlp_stop_ops *ops;
} rv;

static long
futex(uint32_t *addr, int op, uint32_t val, const struct timespec *ts)
{
	return (syscall(SYS_futex, addr, op, val, ts, NULL, 0));
}

static inline void
uh_serialize(void)
{
	uint32_t a = 0, b, c = 0, d;

	/* cpuid serialises instruction fetch after cross-modification. */
	__asm__ __volatile__("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d)
	    :: "memory");
}

static uint64_t
uh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec);
}

void
uh_thread_register(const char *name)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
			uh_stk_lo = (uintptr_t)addr;
			uh_stk_hi = (uintptr_t)addr + size;
		}
		pthread_attr_destroy(&attr);
	}
	snprintf(uh_who, sizeof(uh_who), "%ld (%s)", (long)gettid(), name);
	pthread_setname_np(pthread_self(), name);
}

void
uh_thread_unregister(void)
{
	uh_stk_lo = uh_stk_hi = 0;
}

int
uh_deny_add(const void *addr, const char *name)
{
	if (uh_ndeny >= UH_MAX_DENY)
		return (ENOSPC);
	uh_deny[uh_ndeny].addr = addr;
	uh_deny[uh_ndeny].name = name;
	uh_ndeny++;
	return (0);
}

void
uh_fail_text_write_after(int n)
{
	uh_fail_after = n;
}

uint64_t
uh_last_rendezvous_ns(void)
{
	return (uh_rv_ns);
}

static int
on_stack(uintptr_t p, size_t len)
{
	return (p >= uh_stk_lo && p <= uh_stk_hi && len <= uh_stk_hi - p);
}

/*
 * Collect the interrupted PC and the return addresses of this thread's
 * frame chain.  A function interrupted in its prologue or epilogue has no
 * frame yet, so the two words at the stack pointer are taken as candidate
 * return addresses too: a false positive costs only a retry.
 */
static uint32_t
uh_walk(uintptr_t pc, uintptr_t sp, uintptr_t fp, uint64_t *pcs,
    uint32_t *flags)
{
	uint32_t n;
	uintptr_t next;

	n = 0;
	pcs[n++] = pc;
	if (uh_stk_hi == 0) {
		*flags |= FBSDLP_STACK_UNRELIABLE;
		return (n);
	}
	if (on_stack(sp, 16)) {
		pcs[n++] = ((const uint64_t *)sp)[0];
		pcs[n++] = ((const uint64_t *)sp)[1];
	}
	while (on_stack(fp, 16) && (fp & 7) == 0) {
		if (n >= UH_MAX_FRAMES) {
			*flags |= FBSDLP_STACK_UNRELIABLE;
			break;
		}
		pcs[n++] = ((const uint64_t *)fp)[1];
		next = ((const uintptr_t *)fp)[0];
		if (next <= fp)
			break;
		fp = next;
	}
	return (n);
}

static void
uh_sig_handler(int sig, siginfo_t *si, void *uc_arg)
{
	const struct fbsdlp_stop_ops *ops;
	const ucontext_t *uc = uc_arg;
	uint64_t pcs[UH_MAX_FRAMES + 3];
	uint32_t n, flags, seq;
	int saved;

	(void)sig;
	(void)si;
	saved = errno;
	__atomic_add_fetch(&rv.inflight, 1, __ATOMIC_SEQ_CST);
	seq = __atomic_load_n(&rv.seq, __ATOMIC_SEQ_CST);
	if ((seq & 1) == 0)
		goto out;		/* late signal of a finished round */
	ops = __atomic_load_n(&rv.ops, __ATOMIC_ACQUIRE);
	flags = 0;
	n = uh_walk((uintptr_t)uc->uc_mcontext.gregs[REG_RIP],
	    (uintptr_t)uc->uc_mcontext.gregs[REG_RSP],
	    (uintptr_t)uc->uc_mcontext.gregs[REG_RBP], pcs, &flags);
	ops->check(ops->arg, pcs, n, flags,
	    uh_who[0] != '\0' ? uh_who : "(unregistered thread)");
	__atomic_add_fetch(&rv.arrived, 1, __ATOMIC_SEQ_CST);
	futex(&rv.arrived, FUTEX_WAKE_PRIVATE, 1, NULL);
	while (__atomic_load_n(&rv.seq, __ATOMIC_SEQ_CST) == seq)
		futex(&rv.seq, FUTEX_WAIT_PRIVATE, seq, NULL);
	uh_serialize();
out:
	__atomic_sub_fetch(&rv.inflight, 1, __ATOMIC_SEQ_CST);
	errno = saved;
}

static int
uh_stop_machine(void *ctx, const struct fbsdlp_stop_ops *ops)
{
	uint64_t pcs[UH_MAX_FRAMES + 3], t0, deadline, now;
	struct timespec ts;
	struct dirent *de;
	uint32_t n, flags, expected, a;
	pid_t self, pid, tid;
	DIR *d;
	int error;

	(void)ctx;
	pthread_mutex_lock(&uh_stop_mtx);
	self = (pid_t)gettid();
	pid = getpid();
	d = opendir("/proc/self/task");
	if (d == NULL) {
		pthread_mutex_unlock(&uh_stop_mtx);
		return (errno);
	}
	t0 = uh_now();
	__atomic_store_n(&rv.ops, ops, __ATOMIC_RELEASE);
	__atomic_store_n(&rv.arrived, 0, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&rv.seq, 1, __ATOMIC_SEQ_CST);	/* odd */
	expected = 0;
	while ((de = readdir(d)) != NULL) {
		tid = (pid_t)strtol(de->d_name, NULL, 10);
		if (tid <= 0 || tid == self)
			continue;
		/* ESRCH: the thread exited meanwhile, nothing to wait for. */
		if (syscall(SYS_tgkill, pid, tid, UH_SIG) == 0)
			expected++;
	}
	closedir(d);

	/* The initiator's own stack: it may have been called from anywhere. */
	flags = 0;
	n = uh_walk((uintptr_t)__builtin_return_address(0),
	    (uintptr_t)__builtin_frame_address(0),
	    (uintptr_t)__builtin_frame_address(0), pcs, &flags);
	ops->check(ops->arg, pcs, n, flags, uh_who[0] != '\0' ? uh_who :
	    "(initiator)");

	deadline = t0 + UH_GATHER_NS;
	error = 0;
	while ((a = __atomic_load_n(&rv.arrived, __ATOMIC_SEQ_CST)) <
	    expected) {
		now = uh_now();
		if (now >= deadline) {
			fprintf(stderr, "uh-host: stop-machine: %u of %u "
			    "threads reached the rendezvous\n", a, expected);
			error = EBUSY;
			break;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = 1000000;
		futex(&rv.arrived, FUTEX_WAIT_PRIVATE, a, &ts);
	}
	if (error == 0)
		error = ops->action(ops->arg);
	uh_serialize();
	__atomic_add_fetch(&rv.seq, 1, __ATOMIC_SEQ_CST);	/* even */
	futex(&rv.seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
	uh_rv_ns = uh_now() - t0;
	/*
	 * Once every thread has arrived none of them reads ops again: they
	 * only wait for seq to move, serialise and return, so the initiator
	 * need not wait for them.  After a timeout a straggler may still be
	 * about to run the check on this round's plan: wait until no handler
	 * is left before the caller frees it.
	 */
	if (a < expected)
		while (__atomic_load_n(&rv.inflight, __ATOMIC_SEQ_CST) != 0)
			sched_yield();
	pthread_mutex_unlock(&uh_stop_mtx);
	return (error);
}

/*
 * mprotect makes the pages writable for the copy; they stay executable
 * meanwhile because other code on the same pages may run (outside a
 * stop-machine only the patch's own, not yet used, text is written).
 */
static int
uh_text_write(void *ctx, void *dst, const void *src, fbsdlp_size len)
{
	uintptr_t a, b;

	(void)ctx;
	if (uh_fail_after >= 0 && uh_fail_after-- == 0)
		return (EIO);
	a = (uintptr_t)dst & ~(uintptr_t)4095;
	b = ((uintptr_t)dst + len + 4095) & ~(uintptr_t)4095;
	if (mprotect((void *)a, b - a, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		return (errno);
	memcpy(dst, src, len);
	if (mprotect((void *)a, b - a, PROT_READ | PROT_EXEC) != 0)
		return (errno);
	uh_serialize();
	return (0);
}

static int
uh_lookup(void *ctx, const char *name, const char *objname, uint32_t sympos,
    struct fbsdlp_symval *out)
{
	int error;

	(void)ctx;
	error = uh_sym_lookup(uh_tab, name, objname, sympos, &out->addr,
	    &out->size);
	return (error == EEXIST ? FBSDLP_EEXIST : error != 0 ?
	    FBSDLP_ENOENT : 0);
}

static int
uh_build_id(void *ctx, const uint8_t **id, uint32_t *len)
{
	(void)ctx;
	if (uh_tab->build_id_len == 0)
		return (FBSDLP_ENOENT);
	*id = uh_tab->build_id;
	*len = uh_tab->build_id_len;
	return (0);
}

static void *
uh_alloc(void *ctx, fbsdlp_size size)
{
	(void)ctx;
	return (calloc(1, size));
}

static void
uh_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

static void
uh_log(void *ctx, int level, const char *msg)
{
	(void)ctx;
	if (level <= FBSDLP_LOG_INFO || getenv("UH_DEBUG") != NULL)
		fprintf(stderr, "uh-host: %s\n", msg);
}

static uint64_t
uh_clock(void *ctx)
{
	(void)ctx;
	return (uh_now());
}

static void
uh_delay(void *ctx, uint32_t usec)
{
	struct timespec ts;

	(void)ctx;
	ts.tv_sec = usec / 1000000;
	ts.tv_nsec = (long)(usec % 1000000) * 1000;
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

int
uh_platform_init(struct fbsdlp_platform *pl, struct uh_symtab *tab, char *err,
    size_t errlen)
{
	struct sigaction sa;

	uh_tab = tab;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = uh_sig_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(UH_SIG, &sa, NULL) != 0) {
		snprintf(err, errlen, "sigaction: %s", strerror(errno));
		return (errno);
	}
	uh_deny_add((const void *)uh_sig_handler, "userhost: rendezvous "
	    "signal handler");
	uh_deny_add((const void *)uh_stop_machine, "userhost: stop-machine");
	uh_deny_add((const void *)uh_text_write, "userhost: text write");
	uh_deny_add((const void *)uh_walk, "userhost: stack walk");
	memset(pl, 0, sizeof(*pl));
	pl->ctx = NULL;
	pl->flags = FBSDLP_PLAT_ALLOW_R32;
	pl->lookup = uh_lookup;
	pl->build_id = uh_build_id;
	pl->text_write = uh_text_write;
	pl->stop_machine = uh_stop_machine;
	pl->alloc = uh_alloc;
	pl->free = uh_free;
	pl->log = uh_log;
	pl->clock_ns = uh_clock;
	pl->delay = uh_delay;
	pl->deny = uh_deny;
	pl->ndeny = UH_MAX_DENY;	/* unused slots have addr NULL */
	return (0);
}
