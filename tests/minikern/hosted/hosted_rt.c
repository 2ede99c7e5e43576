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
 * The hosted flavour's runtime on the C library: console output, panics,
 * the boot environment (the process environment), yielding, thread-local
 * CPU pointers.  Compiled against libc, not against the kernel headers.
 */

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "minikern_api.h"

struct pcpu;

/* Registration with the userspace live-patch host, when linked in. */
extern void uh_thread_register(const char *name) __attribute__((__weak__));
extern void uh_thread_unregister(void) __attribute__((__weak__));

void	*hosted_tls_get(void);
void	hosted_tls_set(void *);
void	hosted_cpu_lock(void);
void	hosted_cpu_unlock(void);
int	kern_printf(const char *, ...);
int	kern_vprintf(const char *, va_list);
void	kern_log(int, const char *, ...);
void	vpanic(const char *, va_list) __attribute__((__noreturn__));
void	panic(const char *, ...) __attribute__((__noreturn__));
void	kassert_panic(const char *, ...);
const char *bootenv_lookup(const char *);
void	kern_yield(int);
size_t	strlcpy(char *, const char *, size_t);
struct pcpu *hosted_pcpu_self(void);

static pthread_key_t hosted_pcpu_key;
static pthread_once_t hosted_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t hosted_cpu_mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t hosted_cons_mtx = PTHREAD_MUTEX_INITIALIZER;
int	hosted_quiet;

static void
hosted_key_init(void)
{
	(void)pthread_key_create(&hosted_pcpu_key, NULL);
}

void
hosted_init(void)
{
	(void)pthread_once(&hosted_once, hosted_key_init);
}

void *
hosted_tls_get(void)
{
	hosted_init();
	return (pthread_getspecific(hosted_pcpu_key));
}

void
hosted_tls_set(void *p)
{
	hosted_init();
	(void)pthread_setspecific(hosted_pcpu_key, p);
}

void
hosted_cpu_lock(void)
{
	pthread_mutex_lock(&hosted_cpu_mtx);
}

void
hosted_cpu_unlock(void)
{
	pthread_mutex_unlock(&hosted_cpu_mtx);
}

/* A thread that will call into the kernel: attach a CPU, tell the host. */
void
hosted_thread_enter(const char *name)
{
	(void)hosted_pcpu_self();
	if (uh_thread_register != NULL)
		uh_thread_register(name);
}

void
hosted_thread_exit(void)
{
	if (uh_thread_unregister != NULL)
		uh_thread_unregister();
}

int
kern_vprintf(const char *fmt, va_list ap)
{
	int n;

	if (hosted_quiet)
		return (0);
	pthread_mutex_lock(&hosted_cons_mtx);
	n = vfprintf(stderr, fmt, ap);
	pthread_mutex_unlock(&hosted_cons_mtx);
	return (n);
}

int
kern_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kern_vprintf(fmt, ap);
	va_end(ap);
	return (n);
}

void
kern_log(int level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	(void)kern_vprintf(fmt, ap);
	va_end(ap);
}

void
vpanic(const char *fmt, va_list ap)
{
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	abort();
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
}

void
kassert_panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(fmt, ap);
}

const char *
bootenv_lookup(const char *name)
{
	return (getenv(name));
}

void
kern_yield(int prio)
{
	(void)prio;
	sched_yield();
}

size_t
strlcpy(char *dst, const char *src, size_t dsize)
{
	size_t len = strlen(src);

	if (dsize != 0) {
		size_t n = len < dsize - 1 ? len : dsize - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return (len);
}
