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
 * libkern and the console: the kernel's string functions (their link
 * names are fbsd_<name>, see sys/_fbsd.h), printf(9) into the message
 * buffer and onto the host's stderr, and panic(9).
 */

#include <sys/param.h>
#include <sys/systm.h>

#include "fbsd_kern.h"

#define	MSGBUF_SIZE	(64 * 1024)

int bootverbose;
int cold = 1;
char version[] = "FreeBSD 13.0-personality #0: userhost\n";

static char msgbuf[MSGBUF_SIZE];
static size_t msgbuf_len;		/* bytes in msgbuf, oldest dropped */
static struct fbsd_host_lock *msgbuf_lock;

void *
memcpy(void * __restrict dst, const void * __restrict src, size_t len)
{
	void *d = dst;

	__asm__ __volatile__("rep movsb"
	    : "+D" (d), "+S" (src), "+c" (len) : : "memory");
	return (dst);
}

void *
memmove(void *dst, const void *src, size_t len)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + len)
		return (memcpy(dst, src, len));
	while (len-- > 0)
		d[len] = s[len];
	return (dst);
}

void *
memset(void *dst, int c, size_t len)
{
	void *d = dst;

	__asm__ __volatile__("rep stosb"
	    : "+D" (d), "+c" (len) : "a" (c) : "memory");
	return (dst);
}

int
memcmp(const void *a, const void *b, size_t len)
{
	const unsigned char *p = a, *q = b;

	for (; len > 0; len--, p++, q++)
		if (*p != *q)
			return (*p - *q);
	return (0);
}

void
bcopy(const void *src, void *dst, size_t len)
{
	memmove(dst, src, len);
}

void
bzero(void *dst, size_t len)
{
	memset(dst, 0, len);
}

int
strcmp(const char *a, const char *b)
{
	for (; *a == *b; a++, b++)
		if (*a == '\0')
			return (0);
	return ((unsigned char)*a - (unsigned char)*b);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return ((unsigned char)*a - (unsigned char)*b);
		if (*a == '\0')
			break;
	}
	return (0);
}

size_t
strlen(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		;
	return ((size_t)(p - s));
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (__DECONST(char *, s));
		if (*s == '\0')
			return (NULL);
	}
}

size_t
strlcpy(char * __restrict dst, const char * __restrict src, size_t size)
{
	size_t n;

	n = strlen(src);
	if (size > 0) {
		size = n < size ? n : size - 1;
		memcpy(dst, src, size);
		dst[size] = '\0';
	}
	return (n);
}

size_t
strlcat(char * __restrict dst, const char * __restrict src, size_t size)
{
	size_t d;

	for (d = 0; d < size && dst[d] != '\0'; d++)
		;
	if (d == size)
		return (size + strlen(src));
	return (d + strlcpy(dst + d, src, size - d));
}

int
vsnprintf(char *buf, size_t len, const char *fmt, __va_list ap)
{
	return (fbsd_host_vsnprintf(buf, len, fmt, ap));
}

int
snprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return (n);
}

static void
msgbuf_add(const char *s, size_t n)
{
	if (msgbuf_lock == NULL)
		msgbuf_lock = fbsd_host_lock_new();
	fbsd_host_lock(msgbuf_lock);
	if (n >= MSGBUF_SIZE) {
		s += n - MSGBUF_SIZE;
		n = MSGBUF_SIZE;
	}
	if (msgbuf_len + n > MSGBUF_SIZE) {
		memmove(msgbuf, msgbuf + (msgbuf_len + n - MSGBUF_SIZE),
		    MSGBUF_SIZE - n);
		msgbuf_len = MSGBUF_SIZE - n;
	}
	memcpy(msgbuf + msgbuf_len, s, n);
	msgbuf_len += n;
	fbsd_host_unlock(msgbuf_lock);
	fbsd_host_console(s, n);
}

int
vprintf(const char *fmt, __va_list ap)
{
	char buf[1024];
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return (n);
	msgbuf_add(buf, (size_t)n < sizeof(buf) ? (size_t)n :
	    sizeof(buf) - 1);
	return (n);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return (n);
}

fbsd_host_size
fbsd_msgbuf_copy(char *buf, fbsd_host_size len)
{
	size_t n;

	if (len == 0)
		return (0);
	if (msgbuf_lock == NULL)
		msgbuf_lock = fbsd_host_lock_new();
	fbsd_host_lock(msgbuf_lock);
	n = msgbuf_len < len - 1 ? msgbuf_len : len - 1;
	memcpy(buf, msgbuf + (msgbuf_len - n), n);
	buf[n] = '\0';
	fbsd_host_unlock(msgbuf_lock);
	return (n);
}

void
fbsd_msgbuf_clear(void)
{
	if (msgbuf_lock == NULL)
		msgbuf_lock = fbsd_host_lock_new();
	fbsd_host_lock(msgbuf_lock);
	msgbuf_len = 0;
	fbsd_host_unlock(msgbuf_lock);
}

void
panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fbsd_host_console("panic: ", 7);
	if (n > 0)
		fbsd_host_console(buf, (size_t)n < sizeof(buf) ? (size_t)n :
		    sizeof(buf) - 1);
	fbsd_host_console("\n", 1);
	fbsd_host_abort();
}
