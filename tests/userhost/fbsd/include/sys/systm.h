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

/* sys/systm.h: the kernel's C library and basic services. */

#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <sys/_fbsd.h>

extern int bootverbose;
extern int cold;
extern char version[];

void	panic(const char *, ...) __FBSD_KPI(panic) __dead2 __printflike(1, 2);
#define	KASSERT(exp, msg) do {						\
	if (__predict_false(!(exp)))					\
		panic msg;						\
} while (0)
#define	MPASS(ex)	KASSERT((ex), ("Assertion %s failed at %s:%d",	\
	#ex, __FILE__, __LINE__))

int	printf(const char *, ...) __FBSD_KPI(printf) __printflike(1, 2);
int	vprintf(const char *, __va_list) __FBSD_KPI(vprintf);
int	snprintf(char *, size_t, const char *, ...) __FBSD_KPI(snprintf)
	    __printflike(3, 4);
int	vsnprintf(char *, size_t, const char *, __va_list)
	    __FBSD_KPI(vsnprintf);
void	*memcpy(void * __restrict, const void * __restrict, size_t)
	    __FBSD_KPI(memcpy);
void	*memmove(void *, const void *, size_t) __FBSD_KPI(memmove);
void	*memset(void *, int, size_t) __FBSD_KPI(memset);
int	memcmp(const void *, const void *, size_t) __FBSD_KPI(memcmp);
void	bcopy(const void *, void *, size_t) __FBSD_KPI(bcopy);
void	bzero(void *, size_t) __FBSD_KPI(bzero);
int	strcmp(const char *, const char *) __FBSD_KPI(strcmp);
int	strncmp(const char *, const char *, size_t) __FBSD_KPI(strncmp);
size_t	strlen(const char *) __FBSD_KPI(strlen);
char	*strchr(const char *, int) __FBSD_KPI(strchr);
size_t	strlcpy(char * __restrict, const char * __restrict, size_t)
	    __FBSD_KPI(strlcpy);
size_t	strlcat(char * __restrict, const char * __restrict, size_t)
	    __FBSD_KPI(strlcat);

/* Sleeping: kern_synch.c. */
int	pause(const char *wmesg, int timo) __FBSD_KPI(pause);
void	kern_yield(int prio);
void	maybe_yield(void);
#define	PRI_USER	(-2)

#endif /* !_SYS_SYSTM_H_ */
