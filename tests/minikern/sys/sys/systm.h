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
 * Kernel-wide declarations: console output, panics and assertions,
 * copying between address spaces, sleeping.
 */
#ifndef _SYS_SYSTM_H_
#define	_SYS_SYSTM_H_

#include <sys/cdefs.h>
#include <sys/param.h>
#include <sys/libkern.h>

struct thread;
struct proc;
struct ucred;
struct mtx;

extern int cold;		/* nonzero while the system is booting */
extern int bootverbose;
extern int hz;
extern volatile int ticks;
extern char version[];
extern const void *zero_region;

/* Console and log output. */
int	printf(const char *, ...) __printflike(1, 2);
int	vprintf(const char *, va_list) __printflike(1, 0);
int	snprintf(char *, size_t, const char *, ...) __printflike(3, 4);
int	sprintf(char *, const char *, ...) __printflike(2, 3);
int	uprintf(const char *, ...) __printflike(1, 2);
void	log(int, const char *, ...) __printflike(2, 3);
#define	LOG_ERR		3
#define	LOG_WARNING	4
#define	LOG_NOTICE	5
#define	LOG_INFO	6
#define	LOG_DEBUG	7

/* Panics and assertions. */
void	panic(const char *, ...) __dead2 __printflike(1, 2);
void	vpanic(const char *, va_list) __dead2 __printflike(1, 0);
void	kassert_panic(const char *fmt, ...) __printflike(1, 2);

#ifdef INVARIANTS
/* "msg" is a parenthesised argument list for kassert_panic(). */
#define	KASSERT(exp, msg) do {						\
	if (__predict_false(!(exp)))					\
		kassert_panic msg;					\
} while (0)
#else
#define	KASSERT(exp, msg) do {						\
} while (0)
#endif

/* MPASS names the failing expression and its file and line. */
#define	MPASS(ex)		MPASS4(ex, #ex, __FILE__, __LINE__)
#define	MPASS2(ex, what)	MPASS4(ex, what, __FILE__, __LINE__)
#define	MPASS3(ex, file, line)	MPASS4(ex, #ex, file, line)
#define	MPASS4(ex, what, file, line)					\
	KASSERT((ex), ("Assertion %s failed at %s:%d", what, file, line))

/* Copying. */
void	bcopy(const void *from, void *to, size_t len);
void	bzero(void *buf, size_t len);
void	*memcpy(void *to, const void *from, size_t len);
void	*memmove(void *dest, const void *src, size_t n);
void	*memset(void *b, int c, size_t len);
int	copyin(const void *udaddr, void *kaddr, size_t len);
int	copyin_nofault(const void *udaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *udaddr, size_t len);
int	copyinstr(const void *udaddr, void *kaddr, size_t len,
	    size_t *lencopied);
int	fubyte(volatile const void *base);
int	subyte(volatile void *base, int byte);

/* Scheduling and sleeping. */
void	critical_enter(void);
void	critical_exit(void);
int	pause(const char *wmesg, int timo);
int	tsleep(const volatile void *chan, int priority, const char *wmesg,
	    int timo);
int	msleep(const volatile void *chan, struct mtx *mtx, int priority,
	    const char *wmesg, int timo);
void	wakeup(const volatile void *chan);
void	wakeup_one(const volatile void *chan);
void	DELAY(int usec);
uint64_t get_cyclecount(void);
int	priv_check(struct thread *td, int priv);
void	kern_yield(int prio);

#define	PRI_USER	-2
#define	PCATCH		0x100

#endif /* !_SYS_SYSTM_H_ */
