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
 * The host side of the personality: Linux services behind fbsd_host.h.
 * This is the only file of the personality compiled against the C library.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "fbsd_host.h"

#define FBSD_IPI_SIG	SIGUSR2

struct fbsd_host_lock {
	pthread_mutex_t	mtx;
	pthread_cond_t	cv;
};

struct host_start {
	void	(*fn)(void *);
	void	*arg;
};

static __thread void *host_curthread;
static void (*host_ipi_handler)(fbsd_host_uptr, fbsd_host_uptr,
    fbsd_host_uptr);

void *
fbsd_host_alloc(fbsd_host_size size)
{
	return (calloc(1, size != 0 ? size : 1));
}

void
fbsd_host_free(void *p)
{
	free(p);
}

void *
fbsd_host_map_low(fbsd_host_size len)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	return (p == MAP_FAILED ? NULL : p);
}

void *
fbsd_host_map(fbsd_host_size len)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return (p == MAP_FAILED ? NULL : p);
}

void
fbsd_host_unmap(void *p, fbsd_host_size len)
{
	munmap(p, len);
}

int
fbsd_host_protect(void *p, fbsd_host_size len, int prot)
{
	int hp;

	hp = ((prot & FBSD_HOST_PROT_R) != 0 ? PROT_READ : 0) |
	    ((prot & FBSD_HOST_PROT_W) != 0 ? PROT_WRITE : 0) |
	    ((prot & FBSD_HOST_PROT_X) != 0 ? PROT_EXEC : 0);
	return (mprotect(p, len, hp) == 0 ? 0 : errno);
}

/* The executable's text, from the symbols the static linker defines. */
extern char __executable_start[], etext[];

void
fbsd_host_kernel_text(fbsd_host_uptr *start, fbsd_host_size *len)
{
	fbsd_host_uptr a, b;

	a = (fbsd_host_uptr)__executable_start & ~(fbsd_host_uptr)4095;
	b = ((fbsd_host_uptr)etext + 4095) & ~(fbsd_host_uptr)4095;
	*start = a;
	*len = b - a;
}

struct fbsd_host_lock *
fbsd_host_lock_new(void)
{
	struct fbsd_host_lock *l;
	pthread_condattr_t ca;

	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return (NULL);
	pthread_mutex_init(&l->mtx, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&l->cv, &ca);
	pthread_condattr_destroy(&ca);
	return (l);
}

void
fbsd_host_lock_free(struct fbsd_host_lock *l)
{
	if (l == NULL)
		return;
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mtx);
	free(l);
}

void
fbsd_host_lock(struct fbsd_host_lock *l)
{
	pthread_mutex_lock(&l->mtx);
}

void
fbsd_host_unlock(struct fbsd_host_lock *l)
{
	pthread_mutex_unlock(&l->mtx);
}

int
fbsd_host_wait(struct fbsd_host_lock *l, unsigned long long timeout_ns)
{
	struct timespec ts;
	unsigned long long t;

	if (timeout_ns == 0) {
		pthread_cond_wait(&l->cv, &l->mtx);
		return (0);
	}
	t = fbsd_host_uptime_ns() + timeout_ns;
	ts.tv_sec = (time_t)(t / 1000000000ull);
	ts.tv_nsec = (long)(t % 1000000000ull);
	return (pthread_cond_timedwait(&l->cv, &l->mtx, &ts) == ETIMEDOUT);
}

void
fbsd_host_wakeup(struct fbsd_host_lock *l)
{
	pthread_cond_broadcast(&l->cv);
}

static void *
host_trampoline(void *arg)
{
	struct host_start hs = *(struct host_start *)arg;

	free(arg);
	hs.fn(hs.arg);
	return (NULL);
}

int
fbsd_host_thread_start(void *stack, fbsd_host_size stacksize,
    void (*fn)(void *), void *arg, fbsd_host_uptr *hostid)
{
	struct host_start *hs;
	pthread_attr_t attr;
	pthread_t t;
	int error;

	hs = malloc(sizeof(*hs));
	if (hs == NULL)
		return (ENOMEM);
	hs->fn = fn;
	hs->arg = arg;
	pthread_attr_init(&attr);
	if (stack != NULL)
		pthread_attr_setstack(&attr, stack, stacksize);
	error = pthread_create(&t, &attr, host_trampoline, hs);
	pthread_attr_destroy(&attr);
	if (error != 0) {
		free(hs);
		return (error);
	}
	*hostid = (fbsd_host_uptr)t;
	return (0);
}

void
fbsd_host_thread_exit(void)
{
	pthread_exit(NULL);
}

int
fbsd_host_thread_join(fbsd_host_uptr hostid)
{
	return (pthread_join((pthread_t)hostid, NULL));
}

void
fbsd_host_thread_stack(fbsd_host_uptr *lo, fbsd_host_size *size)
{
	pthread_attr_t attr;
	void *addr;
	size_t sz;

	*lo = 0;
	*size = 0;
	if (pthread_getattr_np(pthread_self(), &attr) != 0)
		return;
	if (pthread_attr_getstack(&attr, &addr, &sz) == 0) {
		*lo = (fbsd_host_uptr)addr;
		*size = sz;
	}
	pthread_attr_destroy(&attr);
}

fbsd_host_uptr
fbsd_host_thread_self(void)
{
	return ((fbsd_host_uptr)pthread_self());
}

int
fbsd_host_gettid(void)
{
	return ((int)gettid());
}

void
fbsd_host_yield(void)
{
	sched_yield();
}

void *
fbsd_host_curthread(void)
{
	return (host_curthread);
}

void
fbsd_host_set_curthread(void *td)
{
	host_curthread = td;
}

static void
host_ipi(int sig, siginfo_t *si, void *uc_arg)
{
	const ucontext_t *uc = uc_arg;
	int saved;

	(void)sig;
	(void)si;
	saved = errno;
	host_ipi_handler((fbsd_host_uptr)uc->uc_mcontext.gregs[REG_RIP],
	    (fbsd_host_uptr)uc->uc_mcontext.gregs[REG_RSP],
	    (fbsd_host_uptr)uc->uc_mcontext.gregs[REG_RBP]);
	errno = saved;
}

void
fbsd_host_ipi_init(void (*handler)(fbsd_host_uptr, fbsd_host_uptr,
    fbsd_host_uptr))
{
	struct sigaction sa;

	host_ipi_handler = handler;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = host_ipi;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(FBSD_IPI_SIG, &sa, NULL);
}

int
fbsd_host_ipi_send(fbsd_host_uptr hostid)
{
	return (pthread_kill((pthread_t)hostid, FBSD_IPI_SIG));
}

static void (*host_trap_handler)(struct fbsd_host_regs *);

static void
host_trap(int sig, siginfo_t *si, void *uc_arg)
{
	ucontext_t *uc = uc_arg;
	greg_t *g = uc->uc_mcontext.gregs;
	struct fbsd_host_regs r;
	int saved;

	(void)sig;
	(void)si;
	saved = errno;
	r.rdi = (fbsd_host_uptr)g[REG_RDI];
	r.rsi = (fbsd_host_uptr)g[REG_RSI];
	r.rdx = (fbsd_host_uptr)g[REG_RDX];
	r.rcx = (fbsd_host_uptr)g[REG_RCX];
	r.rax = (fbsd_host_uptr)g[REG_RAX];
	r.rbx = (fbsd_host_uptr)g[REG_RBX];
	r.rbp = (fbsd_host_uptr)g[REG_RBP];
	r.rip = (fbsd_host_uptr)g[REG_RIP];
	r.rflags = (fbsd_host_uptr)g[REG_EFL];
	r.rsp = (fbsd_host_uptr)g[REG_RSP];
	host_trap_handler(&r);
	g[REG_EFL] = (greg_t)r.rflags;
	errno = saved;
}

void
fbsd_host_trap_init(void (*handler)(struct fbsd_host_regs *))
{
	struct sigaction sa;

	host_trap_handler = handler;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = host_trap;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, FBSD_IPI_SIG);
	sigaction(SIGTRAP, &sa, NULL);
}

/* No locals: pushfq may write where a red zone would be. */
void
fbsd_host_step(void)
{
	__asm__ __volatile__("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq"
	    ::: "cc", "memory");
}

int
fbsd_host_intr_disable(void)
{
	sigset_t set, old;

	sigemptyset(&set);
	sigaddset(&set, FBSD_IPI_SIG);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	return (!sigismember(&old, FBSD_IPI_SIG));
}

void
fbsd_host_intr_restore(int enabled)
{
	sigset_t set;

	if (!enabled)
		return;
	sigemptyset(&set);
	sigaddset(&set, FBSD_IPI_SIG);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

unsigned long long
fbsd_host_uptime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((unsigned long long)ts.tv_sec * 1000000000ull +
	    (unsigned long long)ts.tv_nsec);
}

void
fbsd_host_sleep_ns(unsigned long long ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ns / 1000000000ull);
	ts.tv_nsec = (long)(ns % 1000000000ull);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void
fbsd_host_console(const char *s, fbsd_host_size len)
{
	ssize_t n;

	while (len > 0) {
		n = write(2, s, len);
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

int
fbsd_host_vsnprintf(char *buf, fbsd_host_size len, const char *fmt,
    __builtin_va_list ap)
{
	return (vsnprintf(buf, len, fmt, ap));
}

void
fbsd_host_abort(void)
{
	abort();
}

int
fbsd_host_read_file(const char *path, void **bufp, fbsd_host_size *lenp)
{
	struct stat sb;
	size_t off;
	ssize_t n;
	char *buf;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return (errno);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		e = S_ISREG(sb.st_mode) ? errno : ENOEXEC;
		close(fd);
		return (e);
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return (ENOMEM);
	}
	for (off = 0; off < (size_t)sb.st_size; off += (size_t)n) {
		n = read(fd, buf + off, (size_t)sb.st_size - off);
		if (n <= 0) {
			e = n < 0 ? errno : EIO;
			free(buf);
			close(fd);
			return (e);
		}
	}
	close(fd);
	*bufp = buf;
	*lenp = off;
	return (0);
}

const char *
fbsd_host_kernel_path(void)
{
	return ("/proc/self/exe");
}
